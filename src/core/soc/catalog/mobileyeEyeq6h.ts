import type { SocTargetInput } from '../schema';
import { acceleratorOps, commonFusions, estimate, fig, unverified } from './common';

export const mobileyeEyeq6h: SocTargetInput = {
  apiVersion: 'aios/v1',
  kind: 'SocTarget',
  id: 'mobileye-eyeq6h',
  name: 'Mobileye EyeQ6 High',
  vendor: 'Mobileye',
  description: 'Vision SoC for premium ADAS: deep-learning accelerators, programmable vision cores and general-purpose CPU cores.',
  engines: [
    {
      id: 'xnn',
      kind: 'npu',
      name: 'Deep-learning accelerators',
      precisions: {
        int8: { peak: fig('34TOPS', unverified('Mobileye announced EyeQ6 High at 34 DL TOPS (int8)')) },
        fp16: { peak: fig('8TFLOPS', estimate('a quarter of the int8 rate; not published')) },
      },
      ops: acceleratorOps,
      fusions: commonFusions,
    },
    {
      id: 'vmp',
      kind: 'dsp',
      name: 'Programmable vision cores (VMP/PMA)',
      precisions: {
        int8: { peak: fig('2TOPS', estimate('not published separately')) },
        fp32: { peak: fig('100GFLOPS', estimate('not published')) },
      },
      fusions: [],
    },
    {
      id: 'cpu',
      kind: 'cpu',
      name: 'General-purpose CPU cores',
      precisions: {
        fp32: { peak: fig('50GFLOPS', estimate('not published')) },
      },
      fusions: [],
    },
  ],
  memories: [
    { id: 'sram', kind: 'sram', size: fig('8MiB', estimate('not published')), bandwidth: fig('400GB/s', estimate('on-chip; order of magnitude')) },
    { id: 'dram', kind: 'dram', size: fig('8GB', estimate('typical ECU configuration')), bandwidth: fig('51GB/s', estimate('LPDDR5 class; not published')) },
  ],
  power: {
    static: fig('3W', estimate('not published')),
    sustained: fig('33W', estimate('not published; ADAS central ECU envelope')),
    energyPerOp: { int8: fig('0.5pJ', estimate('order of magnitude for a 7 nm accelerator')) },
  },
  links: [
    { from: 'xnn', to: 'sram', bandwidth: fig('400GB/s', estimate('on-chip')) },
    { from: 'xnn', to: 'dram', bandwidth: fig('30GB/s', estimate('accelerator share')) },
    { from: 'cpu', to: 'dram', bandwidth: fig('15GB/s', estimate('CPU share')) },
  ],
};
