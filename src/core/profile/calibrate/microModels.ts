/**
 * Micro-benchmark models for calibrating host-cpu: each a chain (or fan) of copies of one op at
 * a shape typical of automotive CNNs and transformers, made with our ONNX builder. The
 * calibration times `count` and `2 x count` copies and takes the difference, so a run's fixed
 * costs (the call, copying inputs, allocating the graph outputs) drop out of the per-op time.
 * Sizes keep one run well under a millisecond on a current core where they can: on a shared
 * machine long runs are preempted, short ones mostly are not, and the calibration takes the
 * fast end of the runs.
 */
import { ModelBuilder, attr } from '../../onnx/builder';
import { DataType, type Model } from '../../onnx/model';
import type { OpClass } from '../../compute/words';

export interface MicroBenchmark {
  readonly name: string;
  /** `overhead`, `cache` and `dram` measure the engine and memories, not an op class. */
  readonly opClass: OpClass | 'overhead' | 'cache' | 'dram';
  /** How many copies of the op the smaller of the two timed models executes. */
  readonly count: number;
  /** The model with `copies` copies of the op. */
  build(copies: number): Model;
}

const F = DataType.FLOAT;

/** `count` copies of `op` applied one after another to x (same shape in and out). */
function chain(name: string, shape: readonly number[], count: number, op: (b: ModelBuilder, x: string, i: number) => string): Model {
  const b = new ModelBuilder({ name, seed: 11 });
  let x = b.input('x', F, shape);
  for (let i = 0; i < count; i++) x = b.scope(`op${i}`, () => op(b, x, i));
  b.output(x, F, shape, 'y');
  return b.buildModel();
}

/** `count` copies of `op`, each reading x and giving its own output (for ops that change the shape). */
function fan(name: string, shape: readonly number[], count: number, op: (b: ModelBuilder, x: string) => string): Model {
  const b = new ModelBuilder({ name, seed: 11 });
  const x = b.input('x', F, shape);
  for (let i = 0; i < count; i++) b.output(b.scope(`op${i}`, () => op(b, x)), F, undefined, `y${i}`);
  return b.buildModel();
}

const conv = (channels: number, group: number) => (b: ModelBuilder, x: string) =>
  b.op('Conv', [x, b.weight('w', [channels, channels / group, 3, 3], 0.05), b.weight('b', [channels], 0.01)], { pads: attr.ints([1, 1, 1, 1]), group: attr.int(group) }, 'conv');

export function microBenchmarks(cacheBytes: number): MicroBenchmark[] {
  // Elementwise tensors: input and output of one fit in half the cache; one is 4x the cache.
  const inCache = Math.max(1024, Math.floor(cacheBytes / 4 / 4));
  const beyondCache = Math.max(1 << 18, Math.ceil(cacheBytes));
  const add = (b: ModelBuilder, x: string) => b.op('Add', [x, b.floats('c', [0.5], [1])], {}, 'add');
  return [
    // Timed once each at `count` (not doubled): their difference is the per-kernel overhead, and the one-op run less it the run's fixed cost.
    { name: 'tiny op (1)', opClass: 'overhead', count: 1, build: (n) => chain('tiny-1', [1, 8], n, add) },
    { name: 'tiny ops (64)', opClass: 'overhead', count: 64, build: (n) => chain('tiny-64', [1, 8], n, add) },
    { name: `Add ${inCache} floats (in cache)`, opClass: 'cache', count: 4, build: (n) => chain('add-cache', [1, inCache], n, add) },
    { name: `Add ${beyondCache} floats (beyond cache)`, opClass: 'dram', count: 2, build: (n) => chain('add-dram', [1, beyondCache], n, add) },
    { name: 'Conv 3x3 64->64 on 16x16', opClass: 'conv', count: 2, build: (n) => chain('conv', [1, 64, 16, 16], n, conv(64, 1)) },
    { name: 'depthwise Conv 3x3 x128 on 28x28', opClass: 'depthwise', count: 2, build: (n) => chain('depthwise', [1, 128, 28, 28], n, conv(128, 128)) },
    {
      name: 'MatMul 128x256 by 256x256',
      opClass: 'matmul',
      count: 2,
      build: (n) => chain('matmul', [1, 128, 256], n, (b, x) => b.op('MatMul', [x, b.weight('w', [256, 256], 0.05)], {}, 'matmul')),
    },
    {
      name: 'Sigmoid on 64x56x56',
      opClass: 'elementwise',
      count: 8,
      build: (n) => chain('sigmoid', [1, 64, 56, 56], n, (b, x) => b.op('Sigmoid', [x], {}, 'sigmoid')),
    },
    {
      name: 'MaxPool 3x3 s1 on 64x56x56',
      opClass: 'pool',
      count: 4,
      build: (n) => chain('maxpool', [1, 64, 56, 56], n, (b, x) => b.op('MaxPool', [x], { kernel_shape: attr.ints([3, 3]), pads: attr.ints([1, 1, 1, 1]) }, 'pool')),
    },
    {
      name: 'LayerNormalization over 512 on 256 tokens',
      opClass: 'normalization',
      count: 4,
      build: (n) => chain('layernorm', [1, 256, 512], n, (b, x) => b.op('LayerNormalization', [x, b.weight('scale', [512], 0.1, 1), b.weight('bias', [512], 0.1)], { axis: attr.int(-1) }, 'ln')),
    },
    {
      name: 'Softmax on 8x128x128',
      opClass: 'softmax',
      count: 4,
      build: (n) => chain('softmax', [1, 8, 128, 128], n, (b, x) => b.op('Softmax', [x], { axis: attr.int(-1) }, 'softmax')),
    },
    {
      name: 'ReduceMean over 512 on 256 tokens',
      opClass: 'reduction',
      count: 4,
      build: (n) => fan('reduce', [1, 256, 512], n, (b, x) => b.op('ReduceMean', [x], { axes: attr.ints([-1]), keepdims: attr.int(1) }, 'reduce')),
    },
    {
      name: 'Transpose of 64x56x56',
      opClass: 'datamove',
      count: 4,
      // A fan, not a chain: onnxruntime cancels a Transpose followed by its inverse.
      build: (n) => fan('transpose', [1, 64, 56, 56], n, (b, x) => b.op('Transpose', [x], { perm: attr.ints([0, 2, 3, 1]) }, 'transpose')),
    },
  ];
}
