/**
 * onnxruntime-node helpers shared by quantization, quantdiff, profiling and replay. Importing
 * this module does not load onnxruntime; the first session does.
 */
export { encodeNpy, parseNpy, NpyFormatError, type NpyArray, type NpyData, type NpyDtype } from './npy';
export { openSession, loadOrt, ModelLoadError, type ModelSource, type RuntimeSession, type RunOptions, type SessionOptions } from './session';
export { addGraphOutputs, addRangeOutputs, openModelSession, type AddedOutputs, type AddedRanges, type RangeOutputNames } from './graphOutputs';
export { openSampleSource, sampleInputs, checkSample, defaultSyntheticSamples, SampleDataError, type Sample, type SampleInput, type SampleSource, type SampleSourceOptions } from './samples';
export { runSamples, type RunSamplesOptions } from './runSamples';
export { floatToHalf, fromNpy, isFloatRuntimeType, npyDtypeOf, runtimeType, toFloat32, type RuntimeData, type RuntimeTensor, type RuntimeType } from './tensors';
