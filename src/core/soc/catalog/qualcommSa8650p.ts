import type { SocTargetInput } from '../schema';
import { acceleratorOps, commonFusions, estimate, fig } from './common';

export const qualcommSa8650p: SocTargetInput = {
  apiVersion: 'aios/v1',
  kind: 'SocTarget',
  id: 'qualcomm-sa8650p',
  name: 'Snapdragon Ride Platform (SA8650P)',
  vendor: 'Qualcomm',
  description: 'ADAS / automated-driving SoC of the Snapdragon Ride family: Kryo CPU, Adreno GPU, Hexagon NPU with int4 weight support.',
  engines: [
    {
      id: 'npu',
      kind: 'npu',
      name: 'Hexagon NPU',
      precisions: {
        int8: { peak: fig('100TOPS', estimate('publicly reported figure for SA8650P; not confirmed against a datasheet')) },
        fp16: { peak: fig('25TFLOPS', estimate('a quarter of the int8 rate')) },
        'int4-weight': { peak: fig('100TOPS', estimate('int4 weights, int8/fp16 math: bandwidth-bound speed-up, not a higher peak')) },
      },
      ops: acceleratorOps,
      fusions: commonFusions,
    },
    {
      id: 'gpu',
      kind: 'gpu',
      name: 'Adreno GPU',
      precisions: {
        fp32: { peak: fig('2TFLOPS', estimate('not published')) },
        fp16: { peak: fig('4TFLOPS', estimate('2x fp32')) },
      },
      fusions: [['Conv', 'Relu']],
    },
    {
      id: 'cpu',
      kind: 'cpu',
      name: 'Kryo CPU (8 cores)',
      precisions: {
        fp32: { peak: fig('200GFLOPS', estimate('8 cores x 3 GHz x 8 fp32 flops/cycle')) },
        int8: { peak: fig('800GOPS', estimate('4x fp32')) },
      },
      fusions: [],
    },
  ],
  memories: [
    { id: 'sram', kind: 'sram', size: fig('16MiB', estimate('NPU local memory; not published')), bandwidth: fig('800GB/s', estimate('on-chip; order of magnitude')) },
    { id: 'dram', kind: 'dram', size: fig('32GB', estimate('typical ADAS module configuration')), bandwidth: fig('100GB/s', estimate('LPDDR5X class; not published')) },
  ],
  power: {
    static: fig('5W', estimate('not published')),
    sustained: fig('40W', estimate('ADAS domain controller envelope; not published')),
    energyPerOp: {
      int8: fig('0.25pJ', estimate('order of magnitude for a 4-5 nm NPU')),
      'int4-weight': fig('0.2pJ', estimate('fewer weight bytes moved than int8')),
      fp16: fig('1pJ', estimate('4x int8')),
      fp32: fig('4pJ', estimate('CPU/GPU fp32')),
    },
  },
  links: [
    { from: 'npu', to: 'dram', bandwidth: fig('60GB/s', estimate('NPU share of LPDDR bandwidth')) },
    { from: 'npu', to: 'sram', bandwidth: fig('800GB/s', estimate('on-chip')) },
    { from: 'gpu', to: 'dram', bandwidth: fig('50GB/s', estimate('GPU share')) },
    { from: 'cpu', to: 'dram', bandwidth: fig('40GB/s', estimate('CPU share')) },
  ],
};
