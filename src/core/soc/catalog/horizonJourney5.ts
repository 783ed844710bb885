import type { SocTargetInput } from '../schema';
import { acceleratorOps, commonFusions, datasheet, estimate, fig, vendorNote } from './common';

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
        int8: { peak: fig('128TOPS', datasheet('Horizon Robotics Journey 5 product page: 128 TOPS', vendorNote)) },
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
    sustained: fig('30W', datasheet('Horizon Robotics Journey 5 product page: 30 W typical', vendorNote)),
    energyPerOp: { int8: fig('0.2pJ', estimate('about 30 W at 128 TOPS peak')) },
  },
  links: [
    { from: 'bpu', to: 'sram', bandwidth: fig('800GB/s', estimate('on-chip')) },
    { from: 'bpu', to: 'dram', bandwidth: fig('50GB/s', estimate('BPU share')) },
    { from: 'cpu', to: 'dram', bandwidth: fig('20GB/s', estimate('CPU share')) },
  ],
};
