import type { Precision } from '../../compute/words';

/**
 * Published latencies of standard architectures on the catalog's boards, to keep the estimator
 * honest (test/unit/profile/published.test.ts builds each architecture with our ONNX builder at
 * the same input shape and compares). Precision is what the board ran: Qualcomm AI Hub's
 * "float" models run in fp16 on the Hexagon NPU, its "w8a8" models in int8. Rows are added as
 * published, whatever they say about the estimator; the catalog is never tuned to a row.
 */
export interface PublishedLatency {
  readonly architecture: 'resnet18' | 'resnet50' | 'resnet101' | 'mobilenetv2';
  readonly target: string;
  readonly precision: Precision;
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
    input: [1, 3, 224, 224],
    latencyMs: 3.598,
    source: 'Qualcomm AI Hub Models, ResNet50 model card (huggingface.co/qualcomm/ResNet50, ai-hub-models v0.45.0): float, SA8295P ADP, TFLITE, NPU, 3.598 ms',
  },
  {
    architecture: 'mobilenetv2',
    target: 'qualcomm-sa8295p',
    precision: 'fp16',
    input: [1, 3, 224, 224],
    latencyMs: 1.461,
    source: 'Qualcomm AI Hub Models, MobileNet-v2 model card (huggingface.co/qualcomm/MobileNet-v2, ai-hub-models v0.45.0): float, SA8295P ADP, TFLITE, NPU, 1.461 ms',
  },
  {
    architecture: 'resnet18',
    target: 'qualcomm-sa8295p',
    precision: 'fp16',
    input: [1, 3, 224, 224],
    latencyMs: 2.274,
    source: 'Qualcomm AI Hub Models perf.yaml (github.com/quic/ai-hub-models, qai_hub_models/models/resnet18/perf.yaml at 052dc1f): float, SA8295P ADP, tflite, NPU, inference_time_milliseconds 2.274',
  },
  {
    architecture: 'resnet18',
    target: 'qualcomm-sa8295p',
    precision: 'int8',
    input: [1, 3, 224, 224],
    latencyMs: 0.762,
    source: 'Qualcomm AI Hub Models perf.yaml (github.com/quic/ai-hub-models, qai_hub_models/models/resnet18/perf.yaml at 052dc1f): w8a8, SA8295P ADP, tflite, NPU, inference_time_milliseconds 0.762',
  },
  {
    architecture: 'resnet50',
    target: 'qualcomm-sa8295p',
    precision: 'int8',
    input: [1, 3, 224, 224],
    latencyMs: 1.264,
    source: 'Qualcomm AI Hub Models perf.yaml (github.com/quic/ai-hub-models, qai_hub_models/models/resnet50/perf.yaml at 052dc1f): w8a8, SA8295P ADP, tflite, NPU, inference_time_milliseconds 1.264',
  },
  {
    architecture: 'resnet101',
    target: 'qualcomm-sa8295p',
    precision: 'int8',
    input: [1, 3, 224, 224],
    latencyMs: 1.76,
    source: 'Qualcomm AI Hub Models perf.yaml (github.com/quic/ai-hub-models, qai_hub_models/models/resnet101/perf.yaml at 052dc1f): w8a8, SA8295P ADP, tflite, NPU, inference_time_milliseconds 1.76',
  },
  {
    architecture: 'mobilenetv2',
    target: 'qualcomm-sa8295p',
    precision: 'int8',
    input: [1, 3, 224, 224],
    latencyMs: 0.817,
    source: 'Qualcomm AI Hub Models perf.yaml (github.com/quic/ai-hub-models, qai_hub_models/models/mobilenet_v2/perf.yaml at 052dc1f): w8a8, SA8295P ADP, tflite, NPU, inference_time_milliseconds 0.817',
  },
];
