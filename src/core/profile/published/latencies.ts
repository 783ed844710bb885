import type { EngineKind, Precision } from '../../compute/words';

/**
 * Published latencies of standard architectures on the catalog's boards, to keep the estimator
 * honest (test/unit/profile/published.test.ts builds each architecture with our ONNX builder at
 * the same input shape and compares). Precision is what the board ran: Qualcomm AI Hub's
 * "float" models run in fp16 on the Hexagon NPU, its "w8a8" models in int8. Rows are added as
 * published, whatever they say about the estimator; the catalog is never tuned to a row. A row
 * measured on a development kit with the same silicon as a catalog target says so in its source.
 */
export interface PublishedLatency {
  readonly architecture: 'resnet18' | 'resnet50' | 'resnet101' | 'mobilenetv1' | 'mobilenetv2' | 'mobilenetv2-1.4' | 'ssd-mobilenetv1' | 'regnetx-200mf';
  readonly target: string;
  readonly precision: Precision;
  /** The engine the source says the model ran on. */
  readonly engine: EngineKind;
  /** Input [N, C, H, W]. */
  readonly input: readonly [number, number, number, number];
  readonly latencyMs: number;
  readonly source: string;
}

export const publishedLatencies: readonly PublishedLatency[] = [
  {
    architecture: 'resnet50',
    target: 'qualcomm-sa8295p',
    precision: 'fp16',
    engine: 'npu',
    input: [1, 3, 224, 224],
    latencyMs: 3.598,
    source: 'Qualcomm AI Hub Models, ResNet50 model card (huggingface.co/qualcomm/ResNet50, ai-hub-models v0.45.0): float, SA8295P ADP, TFLITE, NPU, 3.598 ms',
  },
  {
    architecture: 'mobilenetv2',
    target: 'qualcomm-sa8295p',
    precision: 'fp16',
    engine: 'npu',
    input: [1, 3, 224, 224],
    latencyMs: 1.461,
    source: 'Qualcomm AI Hub Models, MobileNet-v2 model card (huggingface.co/qualcomm/MobileNet-v2, ai-hub-models v0.45.0): float, SA8295P ADP, TFLITE, NPU, 1.461 ms',
  },
  {
    architecture: 'resnet18',
    target: 'qualcomm-sa8295p',
    precision: 'fp16',
    engine: 'npu',
    input: [1, 3, 224, 224],
    latencyMs: 2.274,
    source: 'Qualcomm AI Hub Models perf.yaml (github.com/quic/ai-hub-models, qai_hub_models/models/resnet18/perf.yaml at 052dc1f): float, SA8295P ADP, tflite, NPU, inference_time_milliseconds 2.274',
  },
  {
    architecture: 'resnet18',
    target: 'qualcomm-sa8295p',
    precision: 'int8',
    engine: 'npu',
    input: [1, 3, 224, 224],
    latencyMs: 0.762,
    source: 'Qualcomm AI Hub Models perf.yaml (github.com/quic/ai-hub-models, qai_hub_models/models/resnet18/perf.yaml at 052dc1f): w8a8, SA8295P ADP, tflite, NPU, inference_time_milliseconds 0.762',
  },
  {
    architecture: 'resnet50',
    target: 'qualcomm-sa8295p',
    precision: 'int8',
    engine: 'npu',
    input: [1, 3, 224, 224],
    latencyMs: 1.264,
    source: 'Qualcomm AI Hub Models perf.yaml (github.com/quic/ai-hub-models, qai_hub_models/models/resnet50/perf.yaml at 052dc1f): w8a8, SA8295P ADP, tflite, NPU, inference_time_milliseconds 1.264',
  },
  {
    architecture: 'resnet101',
    target: 'qualcomm-sa8295p',
    precision: 'int8',
    engine: 'npu',
    input: [1, 3, 224, 224],
    latencyMs: 1.76,
    source: 'Qualcomm AI Hub Models perf.yaml (github.com/quic/ai-hub-models, qai_hub_models/models/resnet101/perf.yaml at 052dc1f): w8a8, SA8295P ADP, tflite, NPU, inference_time_milliseconds 1.76',
  },
  {
    architecture: 'mobilenetv2',
    target: 'qualcomm-sa8295p',
    precision: 'int8',
    engine: 'npu',
    input: [1, 3, 224, 224],
    latencyMs: 0.817,
    source: 'Qualcomm AI Hub Models perf.yaml (github.com/quic/ai-hub-models, qai_hub_models/models/mobilenet_v2/perf.yaml at 052dc1f): w8a8, SA8295P ADP, tflite, NPU, inference_time_milliseconds 0.817',
  },
  // NVIDIA Jetson AGX Orin developer kit: the Orin SoC of DRIVE AGX Orin. MLPerf SingleStream runs on the GPU alone
  // (NVIDIA's SingleStream configs derive from SingleStreamGPUBaseConfig; the system notes say the DLAs join only in Offline).
  {
    architecture: 'resnet50',
    target: 'nvidia-drive-orin',
    precision: 'int8',
    engine: 'gpu',
    input: [1, 3, 224, 224],
    latencyMs: 0.633,
    source: 'MLPerf Inference v3.0 closed, NVIDIA Jetson AGX Orin (TensorRT 8.5.2), ResNet-50 v1.5 int8 SingleStream: 90th percentile latency 633478 ns (github.com/mlcommons/inference_results_v3.0, closed/NVIDIA/results/Orin_TRT/resnet50/SingleStream/performance/run_1/mlperf_log_summary.txt at dad59af)',
  },
  {
    architecture: 'ssd-mobilenetv1',
    target: 'nvidia-drive-orin',
    precision: 'int8',
    engine: 'gpu',
    input: [1, 3, 300, 300],
    latencyMs: 0.474,
    source: 'MLPerf Inference v2.0 closed, NVIDIA Jetson AGX Orin (TensorRT), SSD-MobileNet-v1 300x300 int8 SingleStream: 90th percentile latency 473641 ns (github.com/mlcommons/inference_results_v2.0, closed/NVIDIA/results/Orin_TRT/ssd-mobilenet/SingleStream/performance/run_1/mlperf_log_summary.txt at e1f8956)',
  },
  // TI SK-TDA4VM starter kit (TDA4VM): 8-bit TIDL models of TI's model zoo on the C7x DSP + MMA.
  {
    architecture: 'mobilenetv1',
    target: 'ti-tda4vm',
    precision: 'int8',
    engine: 'dsp',
    input: [1, 3, 224, 224],
    latencyMs: 1.06,
    source: 'TI Processor SDK Linux for SK-TDA4VM 08_04_00, Datasheet chapter (software-dl.ti.com/jacinto7/esd/processor-sdk-linux-sk-tda4vm/08_04_00/exports/docs/datasheet.html): TFL-CL-0000-mobileNetV1-mlperf, inference time 1.06 ms',
  },
  {
    architecture: 'mobilenetv2-1.4',
    target: 'ti-tda4vm',
    precision: 'int8',
    engine: 'dsp',
    input: [1, 3, 224, 224],
    latencyMs: 3.03,
    source: 'TI Processor SDK Linux for SK-TDA4VM 08_04_00, Datasheet chapter (software-dl.ti.com/jacinto7/esd/processor-sdk-linux-sk-tda4vm/08_04_00/exports/docs/datasheet.html): ONR-CL-6158-mobileNetV2-1p4-qat, inference time 3.03 ms',
  },
  {
    architecture: 'regnetx-200mf',
    target: 'ti-tda4vm',
    precision: 'int8',
    engine: 'dsp',
    input: [1, 3, 224, 224],
    latencyMs: 2.02,
    source: 'TI Processor SDK Linux for SK-TDA4VM 08_05_00, Datasheet chapter (software-dl.ti.com/jacinto7/esd/processor-sdk-linux-sk-tda4vm/08_05_00/exports/docs/datasheet.html): ONR-CL-6360-regNetx-200mf, inference time 2.02 ms',
  },
  // Both DLAs of a Jetson AGX Orin 64GB in the 50 W mode, whose DLA clocks NVIDIA calls comparable to DRIVE Orin's maximum.
  // Published as images per second of the two DLAs together (each running its own batch); the catalog's dla engine is
  // both DLAs at their summed peak, so its time for one batch is compared with batch / (images per second).
  {
    architecture: 'resnet50',
    target: 'nvidia-drive-orin',
    precision: 'int8',
    engine: 'npu',
    input: [2, 3, 224, 224],
    latencyMs: 1.027,
    source: 'NVIDIA Deep-Learning-Accelerator-SW README (github.com/NVIDIA/Deep-Learning-Accelerator-SW/blob/main/README.md), DLA dense performance, Jetson AGX Orin 64GB, JetPack 5.1.1, trtexec --int8 on DLA: ResNet-50 (224x224, bs=2) 1948 images per second on 2x DLA in the 50 W mode; 2 images / 1948 per s = 1.027 ms',
  },
  {
    architecture: 'ssd-mobilenetv1',
    target: 'nvidia-drive-orin',
    precision: 'int8',
    engine: 'npu',
    input: [2, 3, 300, 300],
    latencyMs: 0.798,
    source: 'NVIDIA Deep-Learning-Accelerator-SW README (github.com/NVIDIA/Deep-Learning-Accelerator-SW/blob/main/README.md), DLA dense performance, Jetson AGX Orin 64GB, JetPack 5.1.1, trtexec --int8 on DLA: SSD-MobileNetV1 (300x300, bs=2) 2506 images per second on 2x DLA in the 50 W mode; 2 images / 2506 per s = 0.798 ms',
  },
];
