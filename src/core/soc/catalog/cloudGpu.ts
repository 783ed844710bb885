import type { SocTargetInput } from '../schema';
import { commonFusions, estimate, fig, published } from './common';

const a100 = 'https://www.nvidia.com/content/dam/en-zz/Solutions/Data-Center/a100/pdf/nvidia-a100-datasheet-us-nvidia-1758950-r4-web.pdf';
const a100Specs = 'https://www.techpowerup.com/gpu-specs/a100-sxm4-40-gb.c3506';

/**
 * `cloud-gpu`: the cloud side of a vehicle-cloud split (placement `cloud` or `split`). A
 * datacenter GPU of the A100 class serving one request at a time; queueing in the cloud is not modelled.
 */
export const cloudGpu: SocTargetInput = {
  apiVersion: 'aios/v1',
  kind: 'SocTarget',
  id: 'cloud-gpu',
  name: 'Cloud GPU (NVIDIA A100 class)',
  vendor: 'generic',
  description: 'Datacenter inference GPU for the cloud part of a vehicle-cloud split.',
  engines: [
    {
      id: 'gpu',
      kind: 'gpu',
      name: 'A100 (108 SMs, 432 Tensor Cores)',
      precisions: {
        fp32: { peak: fig('19.5TFLOPS', published(a100, 'A100 datasheet: FP32 19.5 TFLOPS')) },
        fp16: { peak: fig('312TFLOPS', published(a100, 'A100 datasheet: FP16 Tensor Core 312 TFLOPS dense (624 with sparsity)')) },
        int8: { peak: fig('624TOPS', published(a100, 'A100 datasheet: INT8 Tensor Core 624 TOPS dense (1,248 with sparsity)')) },
        'int4-weight': { peak: fig('312TFLOPS', estimate('int4 weights dequantized to fp16 Tensor Core math')) },
      },
      fusions: [...commonFusions, ['MatMul', 'Add', 'Gelu'], ['MatMul', 'Add', 'Relu']],
      overhead: fig('8us', estimate('CUDA kernel launch and synchronisation, order of magnitude')),
    },
    {
      id: 'cpu',
      kind: 'cpu',
      name: 'Host CPU (64 cores)',
      precisions: {
        fp32: { peak: fig('2TFLOPS', estimate('64 cores x 2 GHz x 16 fp32 flops/cycle')) },
      },
      fusions: [],
    },
  ],
  memories: [
    { id: 'sram', kind: 'sram', size: fig('40MB', published(a100Specs, 'A100 SXM4 40 GB: L2 cache 40 MB')), bandwidth: fig('5000GB/s', estimate('L2 bandwidth, order of magnitude')) },
    { id: 'dram', kind: 'dram', size: fig('40GB', published(a100, 'A100 40GB: 40 GB HBM2')), bandwidth: fig('1555GB/s', published(a100, 'A100 40GB: GPU memory bandwidth 1,555 GB/s')) },
  ],
  power: {
    static: fig('60W', estimate('idle power of an A100 SXM board, order of magnitude')),
    sustained: fig('400W', published(a100, 'A100 SXM: max thermal design power 400 W')),
    energyPerOp: {
      int8: fig('0.4pJ', estimate('about 250 W dynamic at 624 TOPS')),
      fp16: fig('0.8pJ', estimate('about 250 W dynamic at 312 TFLOPS')),
      fp32: fig('12pJ', estimate('non-Tensor-Core fp32')),
    },
    dramEnergyPerByte: fig('30pJ', estimate('HBM2 access energy, order of magnitude')),
  },
  links: [
    { from: 'gpu', to: 'dram', bandwidth: fig('1555GB/s', published(a100, 'A100 40GB: GPU memory bandwidth 1,555 GB/s')) },
    { from: 'cpu', to: 'gpu', bandwidth: fig('32GB/s', estimate('PCIe 4.0 x16')), latency: fig('10us', estimate('PCIe transfer setup')) },
  ],
};
