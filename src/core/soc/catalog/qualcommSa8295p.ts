import type { SocTargetInput } from '../schema';
import { acceleratorOps, commonFusions, estimate, fig, published } from './common';

export const qualcommSa8295p: SocTargetInput = {
  apiVersion: 'aios/v1',
  kind: 'SocTarget',
  id: 'qualcomm-sa8295p',
  name: 'Snapdragon Cockpit Platform Gen 4 (SA8295P)',
  vendor: 'Qualcomm',
  description: 'Digital-cockpit SoC: Kryo CPU, Adreno GPU, Hexagon NPU.',
  engines: [
    {
      id: 'npu',
      kind: 'npu',
      name: 'Hexagon NPU',
      precisions: {
        int8: { peak: fig('30TOPS', published('https://cnevpost.com/2021/11/29/jidus-first-model-to-feature-qualcomm-snapdragon-8295-chip-based-on-5nm-process/', 'Baidu, Jidu and Qualcomm announcement: the 8295 NPU has 30 TOPS')) },
        fp16: { peak: fig('7.5TFLOPS', estimate('a quarter of the int8 rate; not published')) },
      },
      ops: acceleratorOps,
      fusions: commonFusions,
    },
    {
      id: 'gpu',
      kind: 'gpu',
      name: 'Adreno GPU',
      precisions: {
        fp32: { peak: fig('1.1TFLOPS', estimate('not published; class of Adreno 6xx automotive GPUs')) },
        fp16: { peak: fig('2.2TFLOPS', estimate('2x fp32')) },
      },
      fusions: [['Conv', 'Relu']],
    },
    {
      id: 'cpu',
      kind: 'cpu',
      name: 'Kryo 680 (8 cores)',
      precisions: {
        fp32: { peak: fig('150GFLOPS', estimate('8 cores x 2.4 GHz x 8 fp32 flops/cycle')) },
        int8: { peak: fig('600GOPS', estimate('4x fp32 with SDOT')) },
      },
      fusions: [],
    },
  ],
  memories: [
    { id: 'sram', kind: 'sram', size: fig('8MiB', estimate('NPU tightly coupled memory; not published')), bandwidth: fig('400GB/s', estimate('on-chip; order of magnitude')) },
    { id: 'dram', kind: 'dram', size: fig('16GB', estimate('typical cockpit module configuration')), bandwidth: fig('68GB/s', estimate('LPDDR5, 4x16-bit channels at 8.5 GT/s class')) },
  ],
  power: {
    static: fig('3W', estimate('not published')),
    sustained: fig('20W', estimate('passively cooled cockpit domain controller envelope')),
    energyPerOp: {
      int8: fig('0.3pJ', estimate('mobile-class Hexagon efficiency order of magnitude')),
      fp16: fig('1.2pJ', estimate('4x int8')),
      fp32: fig('5pJ', estimate('GPU/CPU fp32')),
    },
  },
  links: [
    { from: 'npu', to: 'dram', bandwidth: fig('34GB/s', estimate('NPU share of LPDDR bandwidth')) },
    { from: 'npu', to: 'sram', bandwidth: fig('400GB/s', estimate('on-chip')) },
    { from: 'gpu', to: 'dram', bandwidth: fig('34GB/s', estimate('GPU share of LPDDR bandwidth')) },
    { from: 'cpu', to: 'dram', bandwidth: fig('25GB/s', estimate('CPU share of LPDDR bandwidth')) },
  ],
};
