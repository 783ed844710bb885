import type { SocTargetInput } from '../schema';
import { commonFusions, estimate, fig, published } from './common';

const jetsonThor = 'taken from the Jetson AGX Thor developer kit figures (same Thor SoC family)';

export const nvidiaDriveThor: SocTargetInput = {
  apiVersion: 'aios/v1',
  kind: 'SocTarget',
  id: 'nvidia-drive-thor',
  name: 'NVIDIA DRIVE AGX Thor',
  vendor: 'NVIDIA',
  description: 'Centralised car computer: Blackwell GPU with FP4/FP8 Transformer Engine and Arm Neoverse V3AE cores.',
  engines: [
    {
      id: 'gpu',
      kind: 'gpu',
      name: 'Blackwell GPU',
      precisions: {
        fp32: { peak: fig('16TFLOPS', estimate('CUDA-core fp32; not published for DRIVE Thor')) },
        fp16: { peak: fig('500TFLOPS', estimate('half the int8 rate')) },
        int8: { peak: fig('1000TOPS', published('https://paultan.org/2024/03/19/chinese-automakers-deepen-partnerships-with-nvidia/', 'report of NVIDIA GTC 2024: DRIVE Thor promises 1,000 teraflops (taken as 1,000 int8 TOPS)')) },
        'int4-weight': { peak: fig('2000TOPS', published('https://kvynlim.github.io/industry-research/20-av-platform/compute/nvidia-drive-thor', 'research report: Thor delivers up to 2,000 TOPS of AI compute (FP4/FP8 class)')) },
      },
      fusions: commonFusions,
    },
    {
      id: 'cpu',
      kind: 'cpu',
      name: '14x Arm Neoverse V3AE',
      precisions: {
        fp32: { peak: fig('1.1TFLOPS', estimate('14 cores x 2.6 GHz x 32 fp32 flops/cycle (SVE2)')) },
        int8: { peak: fig('4.4TOPS', estimate('4x fp32 with int8 dot products')) },
      },
      fusions: [],
    },
  ],
  memories: [
    { id: 'sram', kind: 'sram', size: fig('32MiB', estimate('GPU L2 cache order of magnitude')), bandwidth: fig('2000GB/s', estimate('on-chip; order of magnitude')) },
    { id: 'dram', kind: 'dram', size: fig('64GB', estimate(`DRIVE module configuration varies; ${jetsonThor} lists 128 GB`)), bandwidth: fig('273GB/s', estimate(`LPDDR5X; ${jetsonThor}`)) },
  ],
  power: {
    static: fig('20W', estimate('not published')),
    sustained: fig('130W', estimate(`upper end of the 40-130 W range, ${jetsonThor}`)),
    energyPerOp: {
      int8: fig('0.1pJ', estimate('about 100 W at 1,000 TOPS peak')),
      fp16: fig('0.2pJ', estimate('2x int8')),
    },
  },
  links: [
    { from: 'gpu', to: 'dram', bandwidth: fig('273GB/s', estimate(jetsonThor)) },
    { from: 'cpu', to: 'dram', bandwidth: fig('150GB/s', estimate('CPU share of the memory system')) },
  ],
};
