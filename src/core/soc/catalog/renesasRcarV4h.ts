import type { SocTargetInput } from '../schema';
import { acceleratorOps, commonFusions, estimate, fig, published } from './common';

export const renesasRcarV4h: SocTargetInput = {
  apiVersion: 'aios/v1',
  kind: 'SocTarget',
  id: 'renesas-rcar-v4h',
  name: 'Renesas R-Car V4H',
  vendor: 'Renesas',
  description: 'ADAS / AD SoC for L2+ and L3: CNN accelerators and DSPs, 4x Cortex-A76, IMG GPU.',
  engines: [
    {
      id: 'cnn',
      kind: 'npu',
      name: 'CNN-IP deep-learning accelerators',
      precisions: {
        int8: { peak: fig('34TOPS', published('https://docs.zephyrproject.org/latest/boards/retronix/sparrowhawk_rcar_v4h/doc/index.html', 'the R-Car V4H achieves deep learning performance of up to 34 TOPS (Renesas description quoted by the Zephyr board page)')) },
      },
      ops: acceleratorOps,
      fusions: commonFusions,
    },
    {
      id: 'dsp',
      kind: 'dsp',
      name: 'Vision DSPs',
      precisions: {
        int8: { peak: fig('2TOPS', estimate('not published separately from the 34 TOPS total')) },
        fp32: { peak: fig('100GFLOPS', estimate('not published')) },
      },
      fusions: [],
    },
    {
      id: 'gpu',
      kind: 'gpu',
      name: 'IMG AXM-8-256',
      precisions: {
        fp32: { peak: fig('150GFLOPS', estimate('not published for compute use')) },
        fp16: { peak: fig('300GFLOPS', estimate('2x fp32')) },
      },
      fusions: [],
    },
    {
      id: 'cpu',
      kind: 'cpu',
      name: '4x Arm Cortex-A76',
      precisions: {
        fp32: { peak: fig('110GFLOPS', estimate('4 cores x 1.7 GHz x 16 fp32 flops/cycle')) },
        int8: { peak: fig('440GOPS', estimate('4x fp32 with SDOT')) },
      },
      fusions: [],
    },
  ],
  memories: [
    { id: 'sram', kind: 'sram', size: fig('8MiB', estimate('accelerator local memory; not published')), bandwidth: fig('400GB/s', estimate('on-chip; order of magnitude')) },
    { id: 'dram', kind: 'dram', size: fig('8GB', estimate('typical ECU configuration')), bandwidth: fig('51GB/s', estimate('LPDDR4X/5 class; not published')) },
  ],
  power: {
    static: fig('2W', estimate('not published')),
    sustained: fig('15W', estimate('passively cooled front-camera / ADAS ECU envelope')),
    energyPerOp: {
      int8: fig('0.3pJ', estimate('order of magnitude for a 7 nm accelerator')),
      fp32: fig('5pJ', estimate('CPU/GPU fp32')),
    },
  },
  links: [
    { from: 'cnn', to: 'sram', bandwidth: fig('400GB/s', estimate('on-chip')) },
    { from: 'cnn', to: 'dram', bandwidth: fig('30GB/s', estimate('accelerator share')) },
    { from: 'dsp', to: 'dram', bandwidth: fig('15GB/s', estimate('DSP share')) },
    { from: 'gpu', to: 'dram', bandwidth: fig('20GB/s', estimate('GPU share')) },
    { from: 'cpu', to: 'dram', bandwidth: fig('20GB/s', estimate('CPU share')) },
  ],
};
