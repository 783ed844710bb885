import type { SocTargetInput } from '../schema';
import { acceleratorOps, estimate, fig, published, unverified } from './common';


export const nxpImx8mp: SocTargetInput = {
  apiVersion: 'aios/v1',
  kind: 'SocTarget',
  id: 'nxp-imx8mp',
  name: 'NXP i.MX 8M Plus',
  vendor: 'NXP',
  description: 'Applications processor with a 2.3 TOPS NPU for body, cabin and edge functions: 4x Cortex-A53, Vivante GPU.',
  engines: [
    {
      id: 'npu',
      kind: 'npu',
      name: 'NPU (VeriSilicon VIP8000 class)',
      precisions: {
        int8: { peak: fig('2.3TOPS', unverified('NXP quotes the i.MX 8M Plus NPU at up to 2.3 TOPS')) },
        fp16: { peak: fig('0.5TFLOPS', estimate('VIP8000-class NPUs list fp16 support; throughput not published for i.MX 8M Plus, assumed about a quarter of int8')) },
      },
      ops: acceleratorOps.filter((op) => !op.startsWith('QLinear')),
      fusions: [['Conv', 'Relu'], ['Conv', 'BatchNormalization', 'Relu']],
    },
    {
      id: 'gpu',
      kind: 'gpu',
      name: 'Vivante GC7000UL',
      precisions: {
        fp32: { peak: fig('16GFLOPS', estimate('not published for compute use')) },
        fp16: { peak: fig('32GFLOPS', estimate('2x fp32')) },
      },
      fusions: [],
    },
    {
      id: 'cpu',
      kind: 'cpu',
      name: '4x Arm Cortex-A53',
      precisions: {
        fp32: { peak: fig('29GFLOPS', estimate('4 cores x 1.8 GHz x 4 fp32 flops/cycle')) },
        int8: { peak: fig('58GOPS', estimate('2x fp32')) },
      },
      fusions: [],
      clock: fig('1.8GHz', published('https://github.com/abelino/nerves_system_solidrun_imx8mp', 'SolidRun i.MX 8M Plus board: 1.8 GHz quad-core Arm Cortex-A53 (a board maker, not NXP)')),
    },
  ],
  memories: [
    { id: 'ocram', kind: 'sram', size: fig('512KiB', estimate('on-chip RAM available to applications; device dependent')), bandwidth: fig('20GB/s', estimate('on-chip; order of magnitude')) },
    { id: 'dram', kind: 'dram', size: fig('4GB', estimate('typical module configuration')), bandwidth: fig('16GB/s', estimate('LPDDR4 up to 4000 MT/s on a 32-bit bus, computed')) },
  ],
  power: {
    static: fig('0.5W', estimate('not published')),
    sustained: fig('5W', estimate('passively cooled module envelope')),
    energyPerOp: { int8: fig('1pJ', estimate('order of magnitude for a 14 nm NPU')), fp32: fig('20pJ', estimate('Cortex-A53 fp32')) },
  },
  links: [
    { from: 'npu', to: 'dram', bandwidth: fig('8GB/s', estimate('NPU share of LPDDR4')) },
    { from: 'gpu', to: 'dram', bandwidth: fig('8GB/s', estimate('GPU share of LPDDR4')) },
    { from: 'cpu', to: 'dram', bandwidth: fig('8GB/s', estimate('CPU share of LPDDR4')) },
  ],
};
