/**
 * Kernel kinds of the host-cpu model (src/core/profile/calibrate/kernelKinds.ts sorts ONNX nodes
 * into them): a leaf module, so the calibration cache's schema (soc) can name them without
 * depending on the profiler. Dense kinds are timed in FLOPs/s, memory-bound ones in bytes/s.
 */
export const denseKinds = ['conv', 'conv1x1', 'depthwise', 'convtranspose', 'matmul', 'rnn', 'conv-int8', 'matmul-int8'] as const;
export const memoryKinds = ['unary', 'transcendental', 'binary', 'pool', 'resize', 'normalization', 'softmax', 'reduction', 'transpose', 'copy', 'cast', 'quantize'] as const;
export const kernelKinds = [...denseKinds, ...memoryKinds] as const;
export type KernelKind = (typeof kernelKinds)[number];
