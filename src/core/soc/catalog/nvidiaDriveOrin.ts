import type { SocTargetInput } from '../schema';
import { acceleratorOps, commonFusions, estimate, fig, published, unverified } from './common';

const orinBrief = 'http://mzph.cn/web/30785.shtml';
const orinBriefSays = 'summary of NVIDIA\'s Jetson AGX Orin technical brief (same Orin SoC)';
const dlaReadme = 'https://github.com/NVIDIA/Deep-Learning-Accelerator-SW/blob/main/README.md';
const dlaReadmeSays = 'NVIDIA Deep-Learning-Accelerator-SW README, TOPs of a Jetson AGX Orin 64GB per power mode';

export const nvidiaDriveOrin: SocTargetInput = {
  apiVersion: 'aios/v1',
  kind: 'SocTarget',
  id: 'nvidia-drive-orin',
  name: 'NVIDIA DRIVE AGX Orin',
  vendor: 'NVIDIA',
  description: 'Central ADAS / automated-driving computer: Ampere GPU, two DLA v2 accelerators, 12 Cortex-A78AE cores.',
  engines: [
    {
      id: 'gpu',
      kind: 'gpu',
      name: 'Ampere GPU (2048 CUDA cores, 64 Tensor Cores)',
      precisions: {
        fp32: { peak: fig('5.3TFLOPS', published(orinBrief, `${orinBriefSays}: 2048 CUDA cores, 5.3 FP32 TFLOPS`)) },
        fp16: { peak: fig('42TFLOPS', estimate('dense Tensor Core fp16: half of the 85 TOPS dense int8 rate (170 sparse)')) },
        // NVIDIA's INT8 TOPS count 2:4 structured sparsity, which doubles throughput only for weights pruned to that
        // pattern; a dense network (MLPerf's closed division, any unpruned ONNX model) gets half.
        int8: { peak: fig('85.5TOPS', published(dlaReadme, `${dlaReadmeSays}: GPU sparse INT8 peak 171 TOPs in MAXN (the technical brief: 170 sparse INT8 TOPS from 64 third-generation Tensor Cores); dense is half of the sparse rate`)) },
        'int4-weight': { peak: fig('42TFLOPS', estimate('int4 weights dequantized to fp16 Tensor Core math')) },
      },
      fusions: commonFusions,
    },
    {
      id: 'dla',
      kind: 'npu',
      name: '2x Deep Learning Accelerator v2',
      precisions: {
        fp16: { peak: fig('23TFLOPS', estimate('half of the DLA int8 rate')) },
        // Not the MAXN figure (105 sparse TOPs): the README notes the DLA TOPs of the 30 W and 50 W modes are comparable
        // to the maximum clocks on DRIVE Orin platforms.
        int8: { peak: fig('46TOPS', published(dlaReadme, `${dlaReadmeSays}: 2x DLA sparse INT8 peak 92 TOPs in the 50 W mode, "comparable to the maximum clocks on DRIVE Orin platforms for Automotive"; dense is half of the sparse rate`)) },
      },
      ops: acceleratorOps.filter((op) => !op.startsWith('QLinear') && op !== 'MatMul'),
      fusions: commonFusions,
    },
    {
      id: 'cpu',
      kind: 'cpu',
      name: '12x Arm Cortex-A78AE',
      precisions: {
        fp32: { peak: fig('210GFLOPS', estimate('12 cores x 2.2 GHz x 8 fp32 flops/cycle (NEON)')) },
        int8: { peak: fig('840GOPS', estimate('4x fp32 with SDOT')) },
      },
      fusions: [],
      clock: fig('2.2GHz', unverified('Cortex-A78AE up to 2.2 GHz in the Jetson AGX Orin data sheet')),
    },
  ],
  memories: [
    { id: 'sram', kind: 'sram', size: fig('4MiB', published(orinBrief, `${orinBriefSays}: GPU with 4 MB L2 cache (DLA local buffers not counted)`)), bandwidth: fig('1000GB/s', estimate('on-chip; order of magnitude')) },
    { id: 'dram', kind: 'dram', size: fig('32GB', unverified('DRIVE AGX Orin developer kit with 32 GB LPDDR5')), bandwidth: fig('204.8GB/s', estimate('256-bit LPDDR5 at 6400 MT/s (Jetson AGX Orin 64GB); NVIDIA announced Orin with 200 GB/s (svethardware.cz/nvidia-orin-spojeni-gpu-nove-generace-a-arm-hercules/50897)')) },
  ],
  power: {
    static: fig('10W', estimate('idle with the automotive software stack; not published')),
    sustained: fig('60W', estimate('upper end of the 15-60 W range stated for Jetson AGX Orin; DRIVE modules are configured per vehicle')),
    energyPerOp: {
      int8: fig('0.45pJ', estimate('about 60 W at the dense int8 peaks of GPU and DLAs together, 85.5 + 46 TOPS (254 TOPS is the sparse figure)')),
      fp16: fig('1.8pJ', estimate('4x int8')),
      fp32: fig('7.2pJ', estimate('16x int8')),
    },
  },
  links: [
    { from: 'gpu', to: 'dram', bandwidth: fig('204.8GB/s', estimate('the DRAM bandwidth above')) },
    { from: 'dla', to: 'dram', bandwidth: fig('100GB/s', estimate('DLA share of the memory system')) },
    { from: 'cpu', to: 'dram', bandwidth: fig('100GB/s', estimate('CPU cluster share of the memory system')) },
    { from: 'gpu', to: 'dla', bandwidth: fig('100GB/s', estimate('handoff through DRAM')), latency: fig('50us', estimate('synchronisation through DRAM and the driver')) },
  ],
};
