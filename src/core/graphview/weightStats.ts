import type { Tensor } from '../onnx/model';
import type { WeightStats } from '../../protocol/graphPayload';
import { dtypeName } from '../onnx/shape/dtypes';
import { OnnxFormatError } from '../onnx/readErrors';
import { bitsPerElement, elementDecoder } from '../onnx/tensorElements';

export { halfToFloat } from '../onnx/tensorElements';

export const histogramBins = 48;
/** Above this many elements a tensor is read with a fixed stride: statistics stay cheap and bounded. */
export const maxSampledValues = 4_000_000;
/** A tensor is read whole for its statistics: above this it is refused, not read into memory. */
export const maxStatisticsBytes = 1 << 30;

/**
 * Statistics and a histogram of one initializer. Reads the tensor's bytes once; the webview
 * receives only this summary, never the weights.
 */
export async function weightStats(tensor: Tensor, signal?: AbortSignal): Promise<WeightStats> {
  const count = tensor.dims.reduce((a, b) => a * b, 1);
  const base = { tensor: tensor.name, dtype: dtypeName(tensor.dataType), dims: [...tensor.dims], count };
  const empty: WeightStats = { ...base, sampled: 0, min: null, max: null, mean: null, std: null, zeros: 0, nonFinite: 0, histogram: { min: 0, max: 0, counts: [] } };
  const bits = bitsPerElement[tensor.dataType];
  if (bits === undefined || count === 0) return empty;
  const needed = Math.ceil((count * bits) / 8);
  if (needed > maxStatisticsBytes) {
    throw new OnnxFormatError(`tensor ${JSON.stringify(tensor.name)} declares ${needed} bytes; statistics are computed for tensors up to ${maxStatisticsBytes} bytes`, undefined, '');
  }
  const bytes = await tensor.data.read(signal);
  if (bytes.byteLength * 8 < count * bits) {
    throw new OnnxFormatError(`tensor ${JSON.stringify(tensor.name)} holds ${bytes.byteLength} bytes, fewer than its ${count} ${base.dtype} elements need: the model is malformed`, undefined, '');
  }
  const read = elementDecoder(tensor.dataType, bytes);
  if (!read) return empty;
  const stride = Math.max(1, Math.ceil(count / maxSampledValues));

  let sampled = 0, zeros = 0, nonFinite = 0, min = Infinity, max = -Infinity, sum = 0, sumSq = 0;
  for (let i = 0; i < count; i += stride) {
    const v = read(i);
    sampled++;
    if (!Number.isFinite(v)) {
      nonFinite++;
      continue;
    }
    if (v === 0) zeros++;
    if (v < min) min = v;
    if (v > max) max = v;
    sum += v;
    sumSq += v * v;
  }
  signal?.throwIfAborted();
  const finite = sampled - nonFinite;
  if (finite === 0) return { ...empty, sampled, nonFinite };
  const mean = sum / finite;
  const std = Math.sqrt(Math.max(0, sumSq / finite - mean * mean));
  const counts = new Array<number>(histogramBins).fill(0);
  const width = (max - min) / histogramBins;
  for (let i = 0; i < count; i += stride) {
    const v = read(i);
    if (!Number.isFinite(v)) continue;
    const bin = width > 0 ? Math.min(histogramBins - 1, Math.floor((v - min) / width)) : 0;
    counts[bin]!++;
  }
  return { ...base, sampled, min, max, mean, std, zeros, nonFinite, histogram: { min, max, counts } };
}
