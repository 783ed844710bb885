/**
 * Sample inputs for calibration, quantdiff and replay (SPEC §3): a folder with one `.npy`
 * per sample (a model with a single input), or one folder per sample holding
 * `<input name>.npy` for every input; or `synthetic`. Samples are read one at a time, in
 * natural name order (`2.npy` before `10.npy`), and each is checked against the model's
 * inputs (name, dtype, shape with dynamic dims, finite values) before it is used.
 *
 * Synthetic data (for when no real data is at hand; every report must say the figures come
 * from it): deterministic from the seed, sample k the same whatever the sample count. Float
 * inputs: independent values with mean 0 and standard deviation 1 (sum of four uniforms,
 * bounded by ±2√3); integer inputs: uniform whole numbers in [0, 10); bool: true or false with
 * probability 1/2. Dynamic dims get the sizes given, else the defaults of
 * core/onnx/shape/inputSizes (batch 1, image sides 224, sequence 128, others 1).
 */
import { join } from 'node:path';
import { nearest } from '../diagnostics/didYouMean';
import { nodeFileSystem, type FileSystem } from '../fs';
import { Rng } from '../onnx/builder/random';
import type { Dim, Graph } from '../onnx/model';
import { dtypeName } from '../onnx/shape';
import { resolveInputSizes, type GivenSizes } from '../onnx/shape/inputSizes';
import { parseNpy, type NpyArray, type NpyData, type NpyDtype } from './npy';
import { floatToHalf, fromNpy, npyDtypeOf, type RuntimeTensor } from './tensors';

/** A model input that samples must provide. */
export interface SampleInput {
  readonly name: string;
  readonly dtype: NpyDtype;
  /** Declared dims: a size, a symbol (dim_param) or undefined (unknown); undefined when the rank is unknown. */
  readonly shape: readonly Dim[] | undefined;
}

export interface Sample {
  /** File name (single input) or folder name of the sample; `synthetic-<k>` for synthetic ones. */
  readonly id: string;
  readonly feeds: Readonly<Record<string, RuntimeTensor>>;
}

export interface SampleSource {
  readonly synthetic: boolean;
  /** For reports: `12 samples from data/calib` or `8 synthetic samples (seed 1)`. */
  readonly description: string;
  readonly count: number;
  readonly ids: readonly string[];
  /** The samples in order, read and checked one at a time. */
  samples(signal?: AbortSignal): AsyncIterable<Sample>;
}

/** Sample data that does not fit the model: the message names the file and the input. */
export class SampleDataError extends Error {
  override readonly name = 'SampleDataError';
}

export interface SampleSourceOptions {
  readonly fs?: FileSystem;
  /** Use at most this many samples (the first ones in order); synthetic: how many (default 8). */
  readonly samples?: number;
  /** Synthetic seed (default 1). */
  readonly seed?: number;
  /** Sizes for dynamic dims of synthetic samples. */
  readonly inputSizes?: GivenSizes;
}

export const defaultSyntheticSamples = 8;

/** The inputs a sample must provide: the graph inputs that are not initializers. */
export function sampleInputs(graph: Graph): SampleInput[] {
  const initializers = new Set(graph.initializers.map((t) => t.name));
  return graph.inputs
    .filter((v) => !initializers.has(v.name))
    .map((v) => {
      const elemType = v.type?.kind === 'tensor' ? v.type.elemType : undefined;
      const dtype = npyDtypeOf(elemType);
      if (dtype === undefined) {
        throw new SampleDataError(`model input ${v.name} is ${dtypeName(elemType)}; sample data can only feed float32, float16, int8, uint8, int32, int64 and bool inputs`);
      }
      return { name: v.name, dtype, shape: v.type?.kind === 'tensor' ? v.type.shape : undefined };
    });
}

/** `data` is a folder path or `synthetic`. */
export async function openSampleSource(data: string, graph: Graph, options: SampleSourceOptions = {}): Promise<SampleSource> {
  const inputs = sampleInputs(graph);
  if (options.samples !== undefined && (!Number.isInteger(options.samples) || options.samples < 1)) {
    throw new SampleDataError(`the sample count must be a whole number of at least 1 (got ${options.samples})`);
  }
  if (data === 'synthetic') return syntheticSource(graph, inputs, options);
  return folderSource(data, inputs, options);
}

function syntheticSource(graph: Graph, inputs: readonly SampleInput[], options: SampleSourceOptions): SampleSource {
  const count = options.samples ?? defaultSyntheticSamples;
  const seed = options.seed ?? 1;
  const sizes = resolveInputSizes(graph, options.inputSizes);
  const ids = Array.from({ length: count }, (_, k) => `synthetic-${k}`);
  return {
    synthetic: true,
    description: `${count} synthetic sample${count === 1 ? '' : 's'} (seed ${seed})`,
    count,
    ids,
    async *samples(signal) {
      for (let k = 0; k < count; k++) {
        signal?.throwIfAborted();
        const feeds: Record<string, RuntimeTensor> = {};
        inputs.forEach((input, i) => {
          const dims = sizes.inputs.find((s) => s.name === input.name)?.dims;
          if (!dims) throw new SampleDataError(`model input ${input.name} has no declared rank; give its sizes (--input ${input.name}=d0,d1,...) for synthetic samples`);
          // One stream per (sample, input), so adding samples or inputs does not change the others.
          const rng = new Rng((Math.imul(seed, 0x9e3779b1) ^ Math.imul(k + 1, 0x85ebca6b) ^ Math.imul(i + 1, 0xc2b2ae35)) >>> 0);
          feeds[input.name] = fromNpy({ dtype: input.dtype, shape: dims, data: syntheticValues(input.dtype, dims.reduce((a, b) => a * b, 1), rng) });
        });
        yield { id: ids[k] ?? `synthetic-${k}`, feeds };
      }
    },
  };
}

function syntheticValues(dtype: NpyDtype, count: number, rng: Rng): NpyData {
  switch (dtype) {
    case 'float32': return rng.normalArray(count, 1);
    case 'float16': {
      const out = new Uint16Array(count);
      for (let i = 0; i < count; i++) out[i] = floatToHalf(rng.normal());
      return out;
    }
    case 'bool': {
      const out = new Uint8Array(count);
      for (let i = 0; i < count; i++) out[i] = rng.nextUint32() & 1;
      return out;
    }
    case 'int64': {
      const out = new BigInt64Array(count);
      for (let i = 0; i < count; i++) out[i] = BigInt(rng.nextUint32() % 10);
      return out;
    }
    default: {
      const out = dtype === 'int8' ? new Int8Array(count) : dtype === 'uint8' ? new Uint8Array(count) : new Int32Array(count);
      for (let i = 0; i < count; i++) out[i] = rng.nextUint32() % 10;
      return out;
    }
  }
}

const byName = (a: string, b: string) => a.localeCompare(b, 'en', { numeric: true });

async function folderSource(dir: string, inputs: readonly SampleInput[], options: SampleSourceOptions): Promise<SampleSource> {
  const fs = options.fs ?? nodeFileSystem;
  const stat = await fs.stat(dir);
  if (stat === undefined) throw new SampleDataError(`sample folder ${dir} does not exist; give a folder of .npy files or 'synthetic'`);
  if (stat.type !== 'directory') throw new SampleDataError(`${dir} is not a folder; give a folder of .npy files (one per sample) or 'synthetic'`);
  const entries = await fs.readDirectory(dir);
  const files = entries.filter((e) => e.type === 'file' && e.name.endsWith('.npy')).map((e) => e.name).sort(byName);
  const folders = entries.filter((e) => e.type === 'directory' && !e.name.startsWith('.')).map((e) => e.name).sort(byName);
  const inputList = inputs.map((i) => i.name).join(', ');
  if (files.length > 0 && folders.length > 0) {
    throw new SampleDataError(`${dir} holds both .npy files and folders; use one .npy per sample (single-input model) or one folder per sample with <input name>.npy files, not both`);
  }
  if (files.length === 0 && folders.length === 0) {
    throw new SampleDataError(`${dir} holds no samples: put one .npy per sample there (single-input model) or one folder per sample with ${inputs.map((i) => `${i.name}.npy`).join(', ')}`);
  }
  const limit = options.samples ?? Infinity;
  if (files.length > 0) {
    const [only] = inputs;
    if (inputs.length !== 1 || only === undefined) {
      throw new SampleDataError(`${dir} holds .npy files directly, which fits a model with one input, but the model has ${inputs.length} (${inputList}): use one folder per sample with ${inputs.map((i) => `${i.name}.npy`).join(', ')}`);
    }
    return listedSource(dir, files.slice(0, limit), async (file, signal) => {
      const path = join(dir, file);
      const array = await readNpyFile(fs, path, signal);
      return checkSample([{ input: only, path, array }]);
    });
  }
  return listedSource(dir, folders.slice(0, limit), async (folder, signal) => {
    const sampleDir = join(dir, folder);
    const present = (await fs.readDirectory(sampleDir)).filter((e) => e.type === 'file' && e.name.endsWith('.npy')).map((e) => e.name.slice(0, -4));
    const unknown = present.filter((n) => !inputs.some((i) => i.name === n));
    for (const name of unknown) {
      const near = nearest(name, inputs.map((i) => i.name));
      throw new SampleDataError(`${join(sampleDir, `${name}.npy`)}: the model has no input ${name}${near.length ? ` (did you mean ${near.join(' or ')}?)` : ''}; its inputs are ${inputList}`);
    }
    const arrays: Array<{ input: SampleInput; path: string; array: NpyArray }> = [];
    for (const input of inputs) {
      const path = join(sampleDir, `${input.name}.npy`);
      if (!present.includes(input.name)) throw new SampleDataError(`${path} is missing: sample ${folder} must give every model input (${inputList})`);
      arrays.push({ input, path, array: await readNpyFile(fs, path, signal) });
    }
    return checkSample(arrays);
  });
}

/** Samples named by `ids` (files or folders of `dir`), each read and checked by `read` when its turn comes. */
function listedSource(dir: string, ids: readonly string[], read: (id: string, signal?: AbortSignal) => Promise<Record<string, RuntimeTensor>>): SampleSource {
  return {
    synthetic: false,
    description: `${ids.length} sample${ids.length === 1 ? '' : 's'} from ${dir}`,
    count: ids.length,
    ids,
    async *samples(signal) {
      for (const id of ids) {
        signal?.throwIfAborted();
        yield { id, feeds: await read(id, signal) };
      }
    },
  };
}

async function readNpyFile(fs: FileSystem, path: string, signal: AbortSignal | undefined): Promise<NpyArray> {
  signal?.throwIfAborted();
  let bytes: Uint8Array;
  try {
    bytes = await fs.readFile(path, signal);
  } catch (e) {
    if (signal?.aborted) throw e;
    throw new SampleDataError(`cannot read ${path}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
  try {
    return parseNpy(bytes, path);
  } catch (e) {
    throw new SampleDataError(e instanceof Error ? e.message : String(e), { cause: e });
  }
}

/**
 * Checks one sample's arrays against the model inputs: dtype, rank, fixed dims, one size per
 * symbol across the sample's inputs, finite values. An array one dim short of a model input
 * whose first dim is 1 or dynamic gets a leading batch dim of 1.
 */
export function checkSample(arrays: ReadonlyArray<{ readonly input: SampleInput; readonly path: string; readonly array: NpyArray }>): Record<string, RuntimeTensor> {
  const symbols = new Map<string, { size: number; where: string }>();
  const feeds: Record<string, RuntimeTensor> = {};
  for (const { input, path, array } of arrays) {
    const where = `${path} (model input ${input.name})`;
    if (array.dtype !== input.dtype) {
      throw new SampleDataError(`${where}: the array is ${array.dtype} but the input is ${input.dtype}; save it with .astype(numpy.${input.dtype === 'bool' ? 'bool_' : input.dtype})`);
    }
    let shape = array.shape;
    const declared = input.shape;
    if (declared !== undefined) {
      const first = declared[0];
      if (shape.length === declared.length - 1 && (first === 1 || typeof first !== 'number')) shape = [1, ...shape];
      const show = (dims: readonly Dim[]) => `[${dims.map((d) => (d === undefined ? '?' : String(d))).join(', ')}]`;
      if (shape.length !== declared.length) throw new SampleDataError(`${where}: shape [${array.shape.join(', ')}] has rank ${array.shape.length}, the input ${show(declared)} has rank ${declared.length}`);
      declared.forEach((d, i) => {
        const size = shape[i] ?? 0;
        if (typeof d === 'number' && d >= 0 && d !== size) throw new SampleDataError(`${where}: shape [${shape.join(', ')}] does not fit the input ${show(declared)} (dim ${i} must be ${d})`);
        if (typeof d === 'string' && d !== '') {
          const seen = symbols.get(d);
          if (seen && seen.size !== size) throw new SampleDataError(`${where}: dim ${i} (${d}) is ${size}, but ${seen.where} gives ${d} = ${seen.size}`);
          if (!seen) symbols.set(d, { size, where });
        }
      });
    }
    const bad = firstNonFinite(array);
    if (bad !== undefined) {
      throw new SampleDataError(`${where}: element ${bad.index} is ${bad.value}; samples must hold finite numbers (no NaN or Inf)`);
    }
    feeds[input.name] = { type: array.dtype, dims: shape, data: array.data };
  }
  return feeds;
}

function firstNonFinite(array: NpyArray): { index: number; value: string } | undefined {
  if (array.dtype === 'float32') {
    const data = array.data as Float32Array;
    for (let i = 0; i < data.length; i++) {
      const v = data[i] ?? 0;
      if (!Number.isFinite(v)) return { index: i, value: String(v) };
    }
  } else if (array.dtype === 'float16') {
    const data = array.data as Uint16Array;
    for (let i = 0; i < data.length; i++) {
      const h = data[i] ?? 0;
      if ((h & 0x7c00) === 0x7c00) return { index: i, value: h & 0x3ff ? 'NaN' : h & 0x8000 ? '-Infinity' : 'Infinity' };
    }
  }
  return undefined;
}
