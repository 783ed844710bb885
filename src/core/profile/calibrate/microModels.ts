/**
 * The host-cpu calibration's micro-benchmarks: one model holding many independent one-op
 * subgraphs, each reading its own input, made with our ONNX builder. onnxruntime runs them all
 * in every run of one session (one thread pool, warmed once), and its per-kernel profile times
 * each. So every benchmark sees the same stretch of machine load, and no subtraction of
 * fixed costs is needed.
 *
 * What is measured, and at which shapes (speed depends on shape: a conv with 16 channels is far
 * less efficient than one with 256):
 * - dense kinds on a small grid: 3x3 and 1x1 Conv, first-layer (3-channel) and strided Conv,
 *   depthwise Conv, ConvTranspose, MatMul (vector, batched, attention-like), LSTM per hidden
 *   size, and the int8 kernels ConvInteger and MatMulInteger behind DynamicQuantizeLinear;
 * - memory-bound kinds at a tensor that fits in the level-2 caches, at one beyond them, and (the
 *   kinds segmentation networks use) at a full-resolution map beyond every cache.
 * Each dense case is sized to at most ~150 MFLOPs so that a run stays short.
 */
import { ModelBuilder, attr } from '../../onnx/builder';
import { DataType, type Model } from '../../onnx/model';

const F = DataType.FLOAT;
const flopCap = 150e6;

type Builder = ModelBuilder;

interface Case {
  readonly name: string;
  /** Adds the case's inputs, nodes and outputs. */
  readonly add: (b: Builder, input: (shape: readonly number[], afterConv?: boolean) => string, output: (value: string, type?: DataType) => void) => void;
}

/** The largest side of a square map (from 224 down) whose conv of `flopsPerPixel` stays under the cap, and a quarter of it. */
function sides(flopsPerPixel: number): number[] {
  const all = [224, 112, 56, 28, 14, 7];
  const big = all.find((s) => s * s * flopsPerPixel <= flopCap) ?? 7;
  return big / 4 >= 7 ? [big, big / 4] : [big];
}

function conv(cin: number, cout: number, kernel: number, stride: number, group = 1): Case[] {
  const pixelsFlops = 2 * (cin / group) * kernel * kernel * cout;
  return sides(pixelsFlops * stride * stride).map((h) => ({
    name: `Conv ${kernel}x${kernel}${stride > 1 ? ` s${stride}` : ''}${group > 1 ? ' depthwise' : ''} ${cin}->${cout} on ${h}x${h}`,
    add: (b, input, output) => {
      const x = input([1, cin, h, h]);
      const pad = Math.floor(kernel / 2);
      const y = b.op('Conv', [x, b.weight('w', [cout, cin / group, kernel, kernel], 0.05), b.weight('b', [cout], 0.01)], {
        pads: attr.ints([pad, pad, pad, pad]),
        strides: attr.ints([stride, stride]),
        group: attr.int(group),
      });
      output(y);
    },
  }));
}

function matmul(m: number, k: number, n: number): Case {
  return {
    name: `MatMul ${m}x${k} by ${k}x${n}`,
    add: (b, input, output) => output(b.op('MatMul', [input([1, m, k]), b.weight('w', [k, n], 0.05)])),
  };
}

const datasets = (h: number) => [1, 64, h, h];

export interface MicroSuite {
  readonly model: Model;
  /** Benchmark names, in order; node names start with `/b<index>/`. */
  readonly names: readonly string[];
}

function cases(): Case[] {
  const list: Case[] = [];
  // Dense kinds.
  for (const [cin, cout, s] of [[3, 16, 1], [3, 32, 2], [16, 16, 1], [16, 64, 1], [64, 16, 1], [32, 32, 1], [64, 64, 1], [64, 256, 1], [256, 64, 1], [256, 256, 1], [64, 128, 2], [256, 512, 2]] as const) list.push(...conv(cin, cout, 3, s));
  for (const [cin, cout] of [[16, 96], [96, 16], [64, 64], [64, 256], [256, 64], [256, 256], [1024, 256], [256, 1024], [960, 160]] as const) list.push(...conv(cin, cout, 1, 1));
  for (const [c, s] of [[32, 1], [144, 1], [576, 1], [144, 2]] as const) list.push(...conv(c, c, 3, s, c));
  for (const [cin, cout, h] of [[64, 32, 28], [16, 16, 64]] as const) {
    list.push({
      name: `ConvTranspose 2x2 s2 ${cin}->${cout} on ${h}x${h}`,
      add: (b, input, output) =>
        output(b.op('ConvTranspose', [input([1, cin, h, h]), b.weight('w', [cin, cout, 2, 2], 0.05)], { strides: attr.ints([2, 2]), kernel_shape: attr.ints([2, 2]) })),
    });
  }
  for (const m of [1, 64, 512]) for (const [k, n] of [[64, 64], [256, 256], [256, 1024], [1024, 256], [1024, 1024]] as const) list.push(matmul(m, k, n));
  for (const [heads, rows, k, n] of [[8, 128, 32, 128], [8, 128, 128, 32]] as const) {
    list.push({
      name: `batched MatMul ${heads}x${rows}x${k} by ${heads}x${k}x${n}`,
      add: (b, input, output) => output(b.op('MatMul', [input([1, heads, rows, k]), input([1, heads, k, n])])),
    });
  }
  for (const hidden of [32, 128, 256, 512]) {
    list.push({
      name: `LSTM hidden ${hidden}, 50 steps of 64`,
      add: (b, input, output) => {
        const x = input([50, 1, 64]);
        const [y] = b.node('LSTM', [x, b.weight('w', [1, 4 * hidden, 64], 0.05), b.weight('r', [1, 4 * hidden, hidden], 0.05), b.weight('b', [1, 8 * hidden], 0.01)], {
          attributes: { hidden_size: attr.int(hidden) },
          outputs: 1,
        });
        output(y!);
      },
    });
  }
  for (const [cin, cout, kernel, h] of [[16, 16, 3, 64], [64, 64, 3, 28], [256, 256, 3, 14], [64, 256, 1, 28]] as const) {
    list.push({
      name: `ConvInteger ${kernel}x${kernel} ${cin}->${cout} on ${h}x${h} (after DynamicQuantizeLinear)`,
      add: (b, input, output) => {
        const [q, , zero] = b.node('DynamicQuantizeLinear', [input([1, cin, h, h])], { outputs: 3 });
        const w = b.initializer('w', [cout, cin, kernel, kernel], { dataType: DataType.UINT8, bytes: Uint8Array.from({ length: cout * cin * kernel * kernel }, (_, i) => (i * 37) % 256) });
        const pad = Math.floor(kernel / 2);
        output(b.op('ConvInteger', [q!, w, zero!], { pads: attr.ints([pad, pad, pad, pad]) }), DataType.INT32);
      },
    });
  }
  for (const [m, k, n] of [[128, 256, 256], [128, 1024, 1024]] as const) {
    list.push({
      name: `MatMulInteger ${m}x${k} by ${k}x${n} (after DynamicQuantizeLinear)`,
      add: (b, input, output) => {
        const [q, , zero] = b.node('DynamicQuantizeLinear', [input([1, m, k])], { outputs: 3 });
        const w = b.initializer('w', [k, n], { dataType: DataType.UINT8, bytes: Uint8Array.from({ length: k * n }, (_, i) => (i * 37) % 256) });
        output(b.op('MatMulInteger', [q!, w, zero!]), DataType.INT32);
      },
    });
  }
  // Memory-bound kinds: 64 channels at 28x28 (200 KB, in the caches) and at 160x160 (6.5 MB, beyond them).
  for (const h of [28, 160]) {
    const shape = datasets(h);
    const unary =
      (op: string, attributes = {}, blocked = false) =>
      (b: Builder, input: (s: readonly number[], afterConv?: boolean) => string, output: (value: string) => void) =>
        output(b.op(op, [input(shape, blocked)], attributes));
    const afterConv = (op: string, attributes = {}) => unary(op, attributes, true);
    list.push(
      { name: `Relu on 64x${h}x${h}`, add: unary('Relu') },
      { name: `Sigmoid on 64x${h}x${h}`, add: unary('Sigmoid') },
      { name: `Add of two 64x${h}x${h}`, add: (b, input, output) => output(b.op('Add', [input(shape), input(shape)])) },
      { name: `Mul by a per-channel scale on 64x${h}x${h}`, add: (b, input, output) => output(b.op('Mul', [input(shape), b.weight('s', [1, 64, 1, 1], 0.1, 1)])) },
      { name: `MaxPool 2x2 s2 on 64x${h}x${h}`, add: afterConv('MaxPool', { kernel_shape: attr.ints([2, 2]), strides: attr.ints([2, 2]) }) },
      { name: `MaxPool 3x3 s1 on 64x${h}x${h}`, add: afterConv('MaxPool', { kernel_shape: attr.ints([3, 3]), pads: attr.ints([1, 1, 1, 1]) }) },
      {
        name: `Resize linear 2x of 64x${h / 2}x${h / 2}`,
        add: (b, input, output) => output(b.op('Resize', [input([1, 64, h / 2, h / 2], true), '', b.floats('scales', [1, 1, 2, 2])], { mode: attr.str('linear') })),
      },
      {
        name: `Resize nearest 2x of 64x${h / 2}x${h / 2}`,
        add: (b, input, output) => output(b.op('Resize', [input([1, 64, h / 2, h / 2], true), '', b.floats('scales', [1, 1, 2, 2])], { mode: attr.str('nearest') })),
      },
      { name: `LayerNormalization over 64 on ${h * h} rows`, add: (b, input, output) => output(b.op('LayerNormalization', [input([1, h * h, 64]), b.weight('g', [64], 0.1, 1), b.weight('be', [64], 0.1)], { axis: attr.int(-1) })) },
      { name: `Softmax over 64 on ${h * h} rows`, add: (b, input, output) => output(b.op('Softmax', [input([1, h * h, 64])], { axis: attr.int(-1) })) },
      { name: `ReduceMean over 64 on ${h * h} rows`, add: (b, input, output) => output(b.op('ReduceMean', [input([1, h * h, 64])], { axes: attr.ints([-1]), keepdims: attr.int(1) })) },
      { name: `GlobalAveragePool of 64x${h}x${h}`, add: afterConv('GlobalAveragePool') },
      {
        name: `Transpose of 64x${h}x${h}`,
        // The whole tensor is the output: onnxruntime would move a Transpose past a Slice of it.
        add: (b, input) => b.output(b.op('Transpose', [input(shape)], { perm: attr.ints([0, 2, 3, 1]) }), F),
      },
      { name: `Concat of two 32x${h}x${h}`, add: (b, input, output) => output(b.op('Concat', [input([1, 32, h, h], true), input([1, 32, h, h], true)], { axis: attr.int(1) })) },
      {
        name: `Slice of half of 64x${h}x${h}`,
        add: (b, input, output) => output(b.op('Slice', [input(shape), b.int64s('starts', [0]), b.int64s('ends', [32]), b.int64s('axes', [1])])),
      },
      { name: `Cast to float16 of 64x${h}x${h}`, add: (b, input, output) => output(b.op('Cast', [input(shape)], { to: attr.int(DataType.FLOAT16) }), DataType.FLOAT16) },
      {
        name: `DynamicQuantizeLinear of 64x${h}x${h}`,
        add: (b, input, output) => {
          const [q] = b.node('DynamicQuantizeLinear', [input(shape)], { outputs: 3 });
          output(q!, DataType.UINT8);
        },
      },
    );
  }
  // Full-resolution segmentation maps (ISNet, U-Nets) stream tensors far beyond every cache: the kinds they use, at 16 channels of 800x800 (41 MB).
  const huge = [1, 16, 800, 800];
  list.push(
    { name: 'Relu on 16x800x800', add: (b, input, output) => output(b.op('Relu', [input(huge)])) },
    { name: 'Add of two 16x800x800', add: (b, input, output) => output(b.op('Add', [input(huge), input(huge)])) },
    { name: 'MaxPool 2x2 s2 on 16x800x800', add: (b, input, output) => output(b.op('MaxPool', [input(huge, true)], { kernel_shape: attr.ints([2, 2]), strides: attr.ints([2, 2]) })) },
    {
      name: 'Resize linear 2x of 16x400x400',
      add: (b, input, output) => output(b.op('Resize', [input([1, 16, 400, 400], true), '', b.floats('scales', [1, 1, 2, 2])], { mode: attr.str('linear') })),
    },
    { name: 'Concat of two 16x800x800', add: (b, input, output) => output(b.op('Concat', [input([1, 16, 800, 800], true), input([1, 16, 800, 800], true)], { axis: attr.int(1) })) },
    { name: 'Cast to float16 of 16x800x800', add: (b, input, output) => output(b.op('Cast', [input(huge)], { to: attr.int(DataType.FLOAT16) }), DataType.FLOAT16) },
    {
      name: 'DynamicQuantizeLinear of 16x800x800',
      add: (b, input, output) => {
        const [q] = b.node('DynamicQuantizeLinear', [input(huge)], { outputs: 3 });
        output(q!, DataType.UINT8);
      },
    },
  );
  return list;
}

/** The calibration's micro-benchmark model. */
export function microSuite(): MicroSuite {
  const b = new ModelBuilder({ name: 'aios-host-calibration', seed: 11 });
  const list = cases();
  list.forEach((c, i) => {
    let inputs = 0;
    b.scope(`b${i}`, () => c.add(b, (shape, afterConv = false) => warm(b, b.input(`x${i}_${inputs++}`, F, shape), shape, inputs, afterConv), (value, type = F) => firstElement(b, value, type)));
  });
  return { model: b.buildModel(), names: list.map((c) => c.name) };
}

/**
 * The benchmark op's input as inside a network: just written by the op before it (so it is in
 * the caches when it fits). Pools, Resize and Concat read a Conv's output in the networks that
 * use them, so theirs is written by a Conv (a per-channel 1x1 one, nearly free) and onnxruntime
 * runs them in the channel-blocked layout as it does there; the ops onnxruntime would fuse into
 * a Conv (activations, Add) get a Neg instead. Not itself a benchmark (`warm`).
 */
function warm(b: Builder, x: string, shape: readonly number[], index: number, afterConv: boolean): string {
  const channels = shape[1] ?? 0;
  if (afterConv && shape.length === 4 && channels % 16 === 0) {
    return b.op('Conv', [x, b.weight(`warm${index}_w`, [channels, 1, 1, 1], 0.1, 1)], { group: attr.int(channels) }, 'warm');
  }
  return b.op('Neg', [x], {}, 'warm');
}

/** Nodes of the suite that are not benchmarks: the producers of their inputs and the Slices of their outputs. */
export const helperNode = /\/(warm|first)(_\d+)?$/;

/**
 * Makes one element of `value` (a Slice of the last three axes) the graph output: the op's own
 * output then lives in onnxruntime's arena, as inside a network, and runs do not spend their
 * time copying megabytes of outputs into JavaScript.
 */
function firstElement(b: Builder, value: string, elemType: DataType): void {
  const slice = b.op('Slice', [value, b.int64s('first_starts', [0, 0, 0]), b.int64s('first_ends', [1, 1, 1]), b.int64s('first_axes', [-3, -2, -1])], {}, 'first');
  b.output(slice, elemType);
}

/** A chain of `count` tiny Adds on 8 floats: its run time is the runtime's fixed cost per run and per node. */
export function tinyChain(count: number): Model {
  const b = new ModelBuilder({ name: `tiny-${count}`, seed: 11 });
  let x = b.input('x', F, [1, 8]);
  for (let i = 0; i < count; i++) x = b.scope(`op${i}`, () => b.op('Add', [x, b.floats('c', [0.5], [1])], {}, 'add'));
  b.output(x, F, [1, 8], 'y');
  return b.buildModel();
}
