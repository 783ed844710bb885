import type { SocTargetInput } from '../schema';
import { acceleratorOps, commonFusions, estimate, fig, published } from './common';

export const horizonJourney5: SocTargetInput = {
  apiVersion: 'aios/v1',
  kind: 'SocTarget',
  id: 'horizon-journey5',
  name: 'Horizon Robotics Journey 5',
  vendor: 'Horizon Robotics',
  description: 'Automated-driving SoC: two Bayes BPU cores, 8x Cortex-A55.',
  engines: [
    {
      id: 'bpu',
      kind: 'npu',
      name: '2x Bayes BPU',
      precisions: {
        int8: { peak: fig('128TOPS', published('https://developer.d-robotics.cc/api/v1/fileData/horizon_j5_open_explorer_en_doc/oe_mapper/source/appendix/j5_introduction.html', 'Horizon OpenExplorer docs, Overview of Journey 5: the dual-core BPU provides 128 TOPS')) },
      },
      ops: acceleratorOps,
      fusions: commonFusions,
    },
    {
      id: 'dsp',
      kind: 'dsp',
      name: 'Vision DSP',
      precisions: {
        int8: { peak: fig('1TOPS', estimate('not published')) },
        fp32: { peak: fig('50GFLOPS', estimate('not published')) },
      },
      fusions: [],
    },
    {
      id: 'cpu',
      kind: 'cpu',
      name: '8x Arm Cortex-A55',
      precisions: {
        fp32: { peak: fig('100GFLOPS', estimate('8 cores x 1.6 GHz x 8 fp32 flops/cycle')) },
        int8: { peak: fig('400GOPS', estimate('4x fp32 with SDOT')) },
      },
      fusions: [],
    },
  ],
  memories: [
    { id: 'sram', kind: 'sram', size: fig('16MiB', estimate('BPU local memory; not published')), bandwidth: fig('800GB/s', estimate('on-chip; order of magnitude')) },
    { id: 'dram', kind: 'dram', size: fig('16GB', estimate('typical ECU configuration')), bandwidth: fig('68GB/s', estimate('LPDDR4X/5 class; not published')) },
  ],
  power: {
    static: fig('5W', estimate('not published')),
    sustained: fig('30W', estimate('not found in a Horizon document; CnEVPost (cnevpost.com/2021/03/23/horizon-robotics-expects-to-ship-one-million-of-its-auto-ai-chips-this-year/) reported 20 W and 35 W for the two Journey 5 variants (96 and 128 TOPS)')),
    energyPerOp: { int8: fig('0.2pJ', estimate('about 30 W at 128 TOPS peak')) },
  },
  links: [
    { from: 'bpu', to: 'sram', bandwidth: fig('800GB/s', estimate('on-chip')) },
    { from: 'bpu', to: 'dram', bandwidth: fig('50GB/s', estimate('BPU share')) },
    { from: 'cpu', to: 'dram', bandwidth: fig('20GB/s', estimate('CPU share')) },
  ],
};
