import type { Precision } from '../../compute/words';

/**
 * Published latencies of standard architectures on the catalog's boards, to keep the estimator
 * honest (test/unit/profile/published.test.ts builds each architecture with our ONNX builder at
 * the same input shape and compares). Precision is what the board ran: Qualcomm AI Hub's
 * "float" models run in fp16 on the Hexagon NPU.
 */
export interface PublishedLatency {
  readonly architecture: 'resnet50' | 'mobilenetv2';
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
];
