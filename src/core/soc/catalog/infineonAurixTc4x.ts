import type { SocTargetInput } from '../schema';
import { estimate, fig, unverified } from './common';

export const infineonAurixTc4x: SocTargetInput = {
  apiVersion: 'aios/v1',
  kind: 'SocTarget',
  id: 'infineon-aurix-tc4x',
  name: 'Infineon AURIX TC4x',
  vendor: 'Infineon',
  description: 'Safety microcontroller (up to ASIL D) with TriCore 1.8 cores and a Parallel Processing Unit for small neural networks and signal processing.',
  engines: [
    {
      id: 'ppu',
      kind: 'dsp',
      name: 'Parallel Processing Unit (Synopsys ARC EV71 based SIMD/vector DSP)',
      precisions: {
        int8: { peak: fig('64GOPS', estimate('assumes 64 int8 MAC/cycle at 500 MHz; not published')) },
        fp32: { peak: fig('8GFLOPS', estimate('assumes 8 fp32 FMA/cycle at 500 MHz; not published')) },
      },
      ops: ['Conv', 'MatMul', 'Gemm', 'Relu', 'Sigmoid', 'Tanh', 'Add', 'Mul', 'LSTM', 'GRU', 'Concat', 'Reshape', 'Softmax', 'QuantizeLinear', 'DequantizeLinear'],
      fusions: [['Conv', 'Relu'], ['Gemm', 'Relu'], ['MatMul', 'Add']],
      clock: fig('500MHz', unverified('Infineon quotes the TC4x TriCore 1.8 at up to 500 MHz')),
    },
    {
      id: 'tricore',
      kind: 'cpu',
      name: 'TriCore 1.8 (up to 6 cores)',
      precisions: {
        fp32: { peak: fig('6GFLOPS', estimate('6 cores x 500 MHz x 2 flops/cycle')) },
        int8: { peak: fig('12GOPS', estimate('packed 8-bit arithmetic, 2x fp32')) },
      },
      fusions: [],
      clock: fig('500MHz', unverified('Infineon quotes the TC4x TriCore 1.8 at up to 500 MHz')),
    },
  ],
  memories: [
    { id: 'sram', kind: 'sram', size: fig('6MiB', estimate('TC4x devices carry several MB of SRAM; device dependent')), bandwidth: fig('16GB/s', estimate('PPU local memory streaming rate order of magnitude')) },
  ],
  power: {
    static: fig('0.3W', estimate('not published; device and temperature dependent')),
    sustained: fig('3W', estimate('typical microcontroller package envelope')),
    energyPerOp: { int8: fig('5pJ', estimate('order of magnitude for a 28 nm vector DSP')), fp32: fig('30pJ', estimate('6x int8')) },
  },
  links: [
    { from: 'ppu', to: 'sram', bandwidth: fig('16GB/s', estimate('on-chip')) },
    { from: 'tricore', to: 'sram', bandwidth: fig('8GB/s', estimate('on-chip crossbar')) },
  ],
};
