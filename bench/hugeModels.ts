/**
 * Huge generated models (issue 15: a 1,000,000-node model must stay usable). Shaped like a
 * PyTorch export of a small transformer encoder: per layer a decomposed LayerNorm, attention
 * with Q/K/V branches, Constant shape nodes for the Reshapes, an Erf GELU MLP and two residual
 * skips, about 50 nodes with names like `/encoder/layer.123/attn/MatMul_1` and tiny weights.
 *
 * Variants: `deep` (scoped, one long chain of layers), `flat` (the same nodes with no scopes:
 * `MatMul_41230`, one level of 1M nodes), `wide` (256 parallel branches of layers, concatenated).
 *
 * `node out/bench/hugeModels.js FILE NODES [deep|flat|wide]` writes one to disk.
 */
import { int, ints, tensor } from '../src/core/onnx/builder/attributes';
import { makeTensor, type GraphBuilder } from '../src/core/onnx/builder/graphBuilder';
import { ModelBuilder } from '../src/core/onnx/builder';
import { DataType } from '../src/core/onnx/model';
import { writeModelFile } from '../src/core/onnx/write';

export type HugeVariant = 'deep' | 'flat' | 'wide';
export const hugeVariants: readonly HugeVariant[] = ['deep', 'flat', 'wide'];

const SEQ = 4;
const HIDDEN = 8;
const HEADS = 2;
const FF = 16;
const WIDE_BRANCHES = 256;

/** Nodes added by one `layer()` call. */
export const NODES_PER_LAYER = 53;

type Scope = <T>(name: string, build: () => T) => T;

/** A Constant node holding an int64 vector, as torch.onnx exports Reshape targets. */
function constantShape(b: GraphBuilder, values: readonly number[]): string {
  const t = makeTensor('', [values.length], BigInt64Array.from(values.map((v) => BigInt(v))));
  return b.op('Constant', [], { value: tensor(t) });
}

function layerNorm(b: GraphBuilder, scope: Scope, name: string, x: string, prefix: string): string {
  return scope(name, () => {
    const mean = b.op('ReduceMean', [x], { axes: ints([-1]), keepdims: int(1) });
    const d = b.op('Sub', [x, mean]);
    const sq = b.op('Pow', [d, b.floats(`${prefix}pow_exponent`, [2], [])]);
    const v = b.op('ReduceMean', [sq], { axes: ints([-1]), keepdims: int(1) });
    const ve = b.op('Add', [v, b.floats(`${prefix}eps`, [1e-5], [])]);
    const s = b.op('Sqrt', [ve]);
    const n = b.op('Div', [d, s]);
    const g = b.op('Mul', [n, b.weight(`${prefix}weight`, [HIDDEN], 0.1, 1)]);
    return b.op('Add', [g, b.weight(`${prefix}bias`, [HIDDEN], 0.01)]);
  });
}

function linear(b: GraphBuilder, x: string, prefix: string, inDim: number, outDim: number): string {
  const y = b.op('MatMul', [x, b.weight(`${prefix}weight`, [inDim, outDim], 0.3)]);
  return b.op('Add', [y, b.weight(`${prefix}bias`, [outDim], 0.01)]);
}

function attention(b: GraphBuilder, scope: Scope, x: string, prefix: string): string {
  return scope('attn', () => {
    const headDim = HIDDEN / HEADS;
    const heads = (name: string, perm: readonly number[]) => {
      const y = linear(b, x, `${prefix}attn.${name}.`, HIDDEN, HIDDEN);
      const r = b.op('Reshape', [y, constantShape(b, [1, SEQ, HEADS, headDim])]);
      return b.op('Transpose', [r], { perm: ints(perm) });
    };
    const q = heads('q', [0, 2, 1, 3]);
    const k = heads('k', [0, 2, 3, 1]);
    const v = heads('v', [0, 2, 1, 3]);
    const scores = b.op('Div', [b.op('MatMul', [q, k]), b.floats(`${prefix}attn.scale`, [Math.sqrt(headDim)], [])]);
    const p = b.op('Softmax', [scores], { axis: int(-1) });
    const ctx = b.op('Transpose', [b.op('MatMul', [p, v])], { perm: ints([0, 2, 1, 3]) });
    const merged = b.op('Reshape', [ctx, constantShape(b, [1, SEQ, HIDDEN])]);
    return linear(b, merged, `${prefix}attn.out.`, HIDDEN, HIDDEN);
  });
}

function mlp(b: GraphBuilder, scope: Scope, x: string, prefix: string): string {
  return scope('mlp', () => {
    const h = linear(b, x, `${prefix}mlp.fc1.`, HIDDEN, FF);
    const erf = b.op('Erf', [b.op('Div', [h, b.floats(`${prefix}mlp.sqrt2`, [Math.SQRT2], [])])]);
    const gelu = b.op('Mul', [b.op('Mul', [h, b.op('Add', [erf, b.floats(`${prefix}mlp.one`, [1], [])])]), b.floats(`${prefix}mlp.half`, [0.5], [])]);
    return linear(b, gelu, `${prefix}mlp.fc2.`, FF, HIDDEN);
  });
}

/** One pre-norm encoder layer: 53 nodes. */
function layer(b: GraphBuilder, scope: Scope, x: string, prefix: string): string {
  const a = attention(b, scope, layerNorm(b, scope, 'ln1', x, `${prefix}ln1.`), prefix);
  const r1 = b.op('Add', [x, a]);
  const m = mlp(b, scope, layerNorm(b, scope, 'ln2', r1, `${prefix}ln2.`), prefix);
  return b.op('Add', [r1, m]);
}

/** Builds the model in memory (about 1 KiB per node). */
export function buildHugeModel(nodes: number, variant: HugeVariant): ModelBuilder {
  const b = new ModelBuilder({ name: `huge_${variant}`, seed: 15, producerName: 'pytorch', producerVersion: '2.3.0' });
  const scoped: Scope = (name, build) => b.scope(name, build);
  const unscoped: Scope = (_name, build) => build();
  const scope = variant === 'flat' ? unscoped : scoped;
  const x = b.input('input', DataType.FLOAT, [1, SEQ, HIDDEN]);
  const layers = Math.max(1, Math.round(nodes / NODES_PER_LAYER));
  const stack = (input: string, count: number, name: (i: number) => string) => {
    let y = input;
    // Scoped initializers are named under their scope already; flat ones carry the layer's name.
    for (let i = 0; i < count; i++) y = scope(name(i), () => layer(b, scope, y, variant === 'flat' ? `${name(i)}.` : ''));
    return y;
  };
  let out: string;
  if (variant === 'wide') {
    const perBranch = Math.max(1, Math.round(layers / WIDE_BRANCHES));
    const ends: string[] = [];
    for (let k = 0; k < WIDE_BRANCHES; k++) ends.push(scope(`branch.${k}`, () => stack(x, perBranch, (i) => `layer.${i}`)));
    out = b.op('Concat', ends, { axis: int(-1) });
  } else {
    out = scope('encoder', () => stack(x, layers, (i) => `layer.${i}`));
  }
  const y = b.op('Mul', [out, b.floats('output_scale', [1], [])]);
  b.output(y, DataType.FLOAT, [1, SEQ, variant === 'wide' ? HIDDEN * WIDE_BRANCHES : HIDDEN], 'output');
  return b;
}

/** Writes the model to `file`; returns its size in bytes and node count. */
export async function writeHugeModel(file: string, nodes: number, variant: HugeVariant): Promise<{ bytes: number; nodes: number }> {
  const model = buildHugeModel(nodes, variant).buildModel();
  const { bytes } = await writeModelFile(model, file);
  return { bytes, nodes: model.graph.nodes.length };
}

if (require.main === module) {
  const [file, count, variant = 'deep'] = process.argv.slice(2);
  if (file === undefined || !Number.isFinite(Number(count)) || !hugeVariants.includes(variant as HugeVariant)) {
    console.error('usage: node out/bench/hugeModels.js FILE NODES [deep|flat|wide]');
    process.exit(2);
  }
  const started = performance.now();
  writeHugeModel(file, Number(count), variant as HugeVariant).then(
    (r) => console.log(`${file}: ${r.nodes} nodes, ${(r.bytes / 1e6).toFixed(1)} MB in ${((performance.now() - started) / 1000).toFixed(1)} s`),
    (e: unknown) => {
      console.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
      process.exit(1);
    },
  );
}
