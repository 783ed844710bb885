/**
 * ONNX families: `onnx-bytes` mutates the bytes of valid models (truncation, bit flips, random
 * fields, absurd varints, splices, nesting, external-data tricks); `onnx-graph` builds models
 * that parse but are hostile (cycles, prototype-key and control-character names, huge
 * attributes, absurd dims, dangling inputs, duplicate names).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { attr, ModelBuilder } from '../../src/core/onnx/builder';
import { DataType, type Model, type Tensor } from '../../src/core/onnx/model';
import { writeModelBytes } from '../../src/core/onnx/write';
import { nestedIfs } from '../unit/hardening/hostileModels';
import { hostileString } from './hostileText';
import type { Rng } from './rng';
import type { CaseFiles, CaseSpec } from './caseTypes';

/** A few valid seed models: our builder's, plus ONNX conformance models when Debian's data is installed. */
export async function seedModels(): Promise<Uint8Array[]> {
  const seeds: Model[] = [mlp(), conv(), nestedIfs(3)];
  const out = await Promise.all(seeds.map((m) => writeModelBytes(m)));
  const dir = '/usr/share/libonnx-testdata/data/node';
  try {
    for (const name of readdirSync(dir).sort().filter((_, i) => i % 47 === 0)) out.push(new Uint8Array(readFileSync(join(dir, name, 'model.onnx'))));
  } catch {
    // no conformance data: the builder's models only
  }
  return out;
}

function mlp(): Model {
  const b = new ModelBuilder({ name: 'mlp', seed: 3, producerName: 'fuzz' });
  const x = b.input('x', DataType.FLOAT, ['batch', 8]);
  const h = b.op('Relu', [b.op('Add', [b.op('MatMul', [x, b.weight('w1', [8, 16], 0.1)]), b.weight('b1', [16], 0.1)])]);
  b.output(b.op('MatMul', [h, b.weight('w2', [16, 4], 0.1)]), DataType.FLOAT, ['batch', 4], 'y');
  return b.buildModel();
}

function conv(): Model {
  const b = new ModelBuilder({ name: 'conv', seed: 5 });
  const x = b.input('image', DataType.FLOAT, [1, 3, 16, 16]);
  const c = b.op('Conv', [x, b.weight('k', [4, 3, 3, 3], 0.2)], { pads: attr.ints([1, 1, 1, 1]), kernel_shape: attr.ints([3, 3]) });
  const p = b.op('MaxPool', [b.op('Relu', [c])], { kernel_shape: attr.ints([2, 2]), strides: attr.ints([2, 2]) });
  b.output(b.op('Flatten', [p]), DataType.FLOAT, [1, 256], 'features');
  return b.buildModel();
}

/** One mutation of valid model bytes. */
export function mutateBytes(rng: Rng, seed: Uint8Array): { bytes: Uint8Array; how: string } {
  const b = new Uint8Array(seed);
  const kind = rng.int(8);
  switch (kind) {
    case 0: {
      const at = rng.int(b.length + 1);
      return { bytes: b.subarray(0, at), how: `truncated at ${at}` };
    }
    case 1: {
      const flips = 1 + rng.int(8);
      for (let i = 0; i < flips && b.length > 0; i++) b[rng.int(b.length)]! ^= 1 << rng.int(8);
      return { bytes: b, how: `${flips} bit flips` };
    }
    case 2: {
      const at = rng.int(b.length + 1);
      const run = rng.bytes(1 + rng.int(32));
      b.set(run.subarray(0, Math.max(0, b.length - at)), at);
      return { bytes: b, how: `random bytes at ${at}` };
    }
    case 3: {
      // An absurd varint: a length or count of up to 2^63.
      const at = rng.int(b.length + 1);
      const varint = new Uint8Array([...Array(9).fill(0xff), 0x01]);
      return { bytes: concat(b.subarray(0, at), varint, b.subarray(at)), how: `absurd varint at ${at}` };
    }
    case 4: {
      const from = rng.int(b.length + 1);
      const to = from + rng.int(b.length - from + 1);
      const at = rng.int(b.length + 1);
      return { bytes: concat(b.subarray(0, at), b.subarray(from, to), b.subarray(at)), how: `spliced [${from},${to}) at ${at}` };
    }
    case 5:
      return { bytes: rng.bytes(rng.int(4096)), how: 'random bytes' };
    case 6: {
      // Deep nesting: a message field that holds itself thousands of times.
      const depth = 100 + rng.size(5000, 100_000, 0.1);
      return { bytes: nestedMessages(depth, rng.pick([7, 1, 5, 10])), how: `${depth} nested messages` };
    }
    default: {
      const at = rng.int(b.length);
      const tag = rng.pick([0x08, 0x12, 0x1a, 0x3a, 0x42, 0x4a, 0x62, 0x0a]);
      return { bytes: concat(b.subarray(0, at), new Uint8Array([tag, 0xff, 0xff, 0xff, 0xff, 0x0f]), b.subarray(at)), how: `huge length field at ${at}` };
    }
  }
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** `depth` length-delimited messages of field `field`, each inside the previous one. */
function nestedMessages(depth: number, field: number): Uint8Array {
  const tag = (field << 3) | 2;
  // Built from the inside out; lengths as varints.
  const chunks: number[][] = [];
  let length = 0;
  for (let i = 0; i < depth; i++) {
    const len: number[] = [];
    let v = length;
    do {
      len.push((v & 0x7f) | (v > 0x7f ? 0x80 : 0));
      v >>>= 7;
    } while (v > 0);
    chunks.push([tag, ...len]);
    length += 1 + len.length;
  }
  const out = new Uint8Array(length);
  let at = 0;
  for (let i = chunks.length - 1; i >= 0; i--) {
    out.set(chunks[i]!, at);
    at += chunks[i]!.length;
  }
  return out;
}

const externalLocations = ['../../decoy/secret.bin', '/etc/passwd', 'sub/../../../decoy/secret.bin', 'link-out.bin', 'fifo.bin', 'missing.bin', 'w.bin', 'dir', 'w.bin\0x', 'zero-link.bin', ''];

/** A model whose weight lives in external data with a hostile location, offset or length, and the files beside it. */
export async function externalCase(rng: Rng): Promise<{ model: Uint8Array; files: CaseFiles; how: string }> {
  const location = rng.pick(externalLocations);
  const offset = rng.pick(['0', '4', String(2 ** 40), '-1', 'x', '999999999999999']);
  const length = rng.pick([undefined, '64', '0', String(20 * 2 ** 30), '-5', '1e9']);
  const b = new ModelBuilder({ name: 'ext', seed: 1 });
  const x = b.input('x', DataType.FLOAT, [1, 4]);
  b.initializer('w', [4, 4], { dataType: DataType.FLOAT, bytes: new Uint8Array(64) });
  b.output(b.op('MatMul', [x, 'w']), DataType.FLOAT, [1, 4], 'y');
  const model = b.buildModel();
  const entries = [{ key: 'location', value: location }, { key: 'offset', value: offset }, ...(length === undefined ? [] : [{ key: 'length', value: length }])];
  const w: Tensor = { name: 'w', dataType: DataType.FLOAT, dims: [4, 4], externalData: entries, data: { location: 'external', byteLength: undefined, externalPath: location, read: () => Promise.reject(new Error('not read')) } };
  const bytes = await writeModelBytes({ ...model, graph: { ...model.graph, initializers: [w] } });
  const files: CaseFiles = [
    { path: 'w.bin', bytes: rng.bytes(rng.pick([0, 8, 64, 200])) },
    { path: 'link-out.bin', symlink: '../../decoy/secret.bin' },
    { path: 'zero-link.bin', symlink: '/dev/zero' },
    { path: 'fifo.bin', fifo: true },
    { path: 'dir/x', bytes: new Uint8Array(1) },
  ];
  if (rng.chance(0.2)) files.push({ path: 'w.bin', sparse: 20 * 2 ** 30 });
  return { model: bytes, files, how: `external ${JSON.stringify(entries)}` };
}

/** A model that parses but is hostile in structure or names. */
export async function hostileGraph(rng: Rng): Promise<{ model: Uint8Array; how: string }> {
  const kind = rng.int(11);
  const name = () => hostileString(rng);
  const b = new ModelBuilder({ name: rng.chance(0.5) ? name() : 'g', seed: rng.int(1000), producerName: name(), docString: rng.chance(0.3) ? name() : undefined });
  const x = b.input(rng.chance(0.3) ? name() : 'x', DataType.FLOAT, [1, 4]);
  let model: Model;
  let how: string;
  switch (kind) {
    case 0: {
      // A cycle: a -> b -> a.
      const [a] = b.node('Relu', ['loop_b'], { name: name(), outputs: ['loop_a'] });
      b.node(rng.pick(['Add', 'Relu', name()]), [a!, x], { name: name(), outputs: ['loop_b'] });
      b.output('loop_b', DataType.FLOAT, [1, 4], 'y');
      model = b.buildModel();
      how = 'cycle';
      break;
    }
    case 1: {
      let v = x;
      const n = 1 + rng.int(50);
      for (let i = 0; i < n; i++) v = b.node(rng.chance(0.5) ? name() : rng.pick(['Relu', 'Add', 'Conv', 'Reshape', 'If', 'Loop', 'constructor']), rng.chance(0.3) ? [v, name()] : [v], { name: name() })[0]!;
      b.output(v, DataType.FLOAT, [1, 4], name());
      model = b.buildModel();
      how = `${n} nodes with hostile names and op types`;
      break;
    }
    case 2: {
      const big = rng.pick([
        attr.str('s'.repeat(1 + rng.size(20_000, 2_000_000, 0.1))),
        attr.ints(Array.from({ length: rng.size(2000, 200_000, 0.1) }, () => rng.int(2 ** 31))),
        attr.floats(Array.from({ length: rng.size(2000, 200_000, 0.1) }, () => rng.next() * 1e38)),
        attr.strs(Array.from({ length: rng.size(500, 50_000, 0.1) }, () => name())),
        attr.ints([2n ** 62n, -(2n ** 62n), 0n]),
      ]);
      b.output(b.op(rng.pick(['Conv', 'Reshape', 'Pad', 'Custom']), [x], { [rng.pick(['kernel_shape', 'pads', 'shape', 'value', name()])]: big }), DataType.FLOAT, [1, 4], 'y');
      model = b.buildModel();
      how = 'huge attribute';
      break;
    }
    case 3: {
      const dims = Array.from({ length: 1 + rng.int(8) }, () => rng.pick([0, 1, 2 ** 31, 2 ** 40, Number.MAX_SAFE_INTEGER, 7]));
      const w = b.initializer('w', dims, { dataType: rng.pick([DataType.FLOAT, DataType.INT4, DataType.STRING, DataType.BFLOAT16, 999 as DataType]), bytes: rng.bytes(rng.int(64)) });
      b.output(b.op(rng.pick(['MatMul', 'Add', 'Gemm', 'Conv']), [x, w]), DataType.FLOAT, dims, 'y');
      model = b.buildModel();
      how = `absurd dims ${dims.join('x')}`;
      break;
    }
    case 4: {
      const depth = 1 + rng.int(80);
      model = nestedIfs(depth);
      how = `${depth} nested If graphs`;
      break;
    }
    case 5: {
      // Duplicate node and tensor names, outputs produced twice, dangling inputs, empty names.
      const dup = name();
      for (let i = 0; i < 1 + rng.int(20); i++) b.node(rng.pick(['Relu', 'Add', 'Identity']), [rng.chance(0.5) ? x : dup, rng.chance(0.3) ? 'nowhere' : ''], { name: dup, outputs: [dup] });
      b.output(dup, DataType.FLOAT, [1, 4], dup);
      model = b.buildModel();
      how = 'duplicate and dangling names';
      break;
    }
    case 7: {
      // Opsets and domains: versions 0, 1, 99, negative, none; unknown domains with hostile names.
      b.node(rng.pick(['Relu', 'Frob', name()]), [x], { name: 'n', domain: rng.pick(['', 'com.unknown', name(), 'ai.onnx.ml']), outputs: ['y'] });
      b.output('y', DataType.FLOAT, [1, 4], 'y');
      const built = b.buildModel();
      const version = BigInt(rng.pick([0, 1, 99, -5, 2 ** 40, 17]));
      const opsets = rng.pick([[], [{ domain: '', version }], [{ domain: '', version }, { domain: name(), version: 1n }], Array.from({ length: rng.size(10, 50_000, 0.05) }, (_, i) => ({ domain: `d${i % 3}`, version }))]);
      model = { ...built, opsetImports: opsets, irVersion: BigInt(rng.pick([0, 3, 8, 99])) };
      how = `opsets ${JSON.stringify(opsets.slice(0, 3), (_, v: unknown) => (typeof v === 'bigint' ? String(v) : v))}`;
      break;
    }
    case 8: {
      // Names that clash: a graph input shadowed by an initializer, an output nobody produces, empty names, a node overwriting a graph input.
      const w = b.initializer(rng.chance(0.5) ? x : 'w', [1, 4], { dataType: DataType.FLOAT, bytes: new Uint8Array(16) });
      const [h] = b.node('Add', [x, w], { name: rng.pick(['', name()]), outputs: [rng.pick(['', x, 'h'])] });
      b.output(rng.pick([h!, 'never_produced', '', x]), DataType.FLOAT, [1, 4], rng.pick(['y', '', x]));
      model = b.buildModel();
      how = 'shadowed, unproduced and empty names';
      break;
    }
    case 9: {
      // An If whose branches read names of the enclosing graph, ones that exist nowhere, or shadow them.
      const cond = b.input('cond', DataType.BOOL, []);
      const branch = (label: string) => b.subgraph(label, (g) => g.output(g.node(rng.pick(['Relu', 'Neg', 'Identity']), [rng.pick([x, 'nowhere_outer', cond, ''])], { outputs: [rng.pick([`${label}_out`, x])] })[0]!, DataType.FLOAT, [1, 4]));
      b.output(b.op('If', [cond], { then_branch: attr.graph(branch('then')), else_branch: attr.graph(branch('else')) }), DataType.FLOAT, [1, 4], 'y');
      model = b.buildModel();
      how = 'subgraphs reading outer names';
      break;
    }
    case 10: {
      // One node with a huge repeated field, or a long chain of weight nodes folded into one consumer.
      const n = 1 + rng.size(1000, 200_000, 0.05);
      if (rng.chance(0.5)) {
        b.output(b.node(rng.pick(['Sum', 'Concat', 'Max', 'Loop', 'Custom']), Array.from({ length: n }, () => x), { name: 'wide' })[0]!, DataType.FLOAT, [1, 4], 'y');
        how = `a node with ${n} inputs`;
      } else {
        let w = b.initializer('w', [4], { dataType: DataType.FLOAT, bytes: new Uint8Array(16) });
        const chain = Math.min(n, 30_000);
        for (let i = 0; i < chain; i++) w = b.node(rng.pick(['Identity', 'Cast', 'Reshape']), [w], { name: `w${i}` })[0]!;
        b.output(b.node('Add', [x, w], { name: 'add' })[0]!, DataType.FLOAT, [1, 4], 'y');
        how = `a chain of ${chain} weight nodes`;
      }
      model = b.buildModel();
      break;
    }
    default: {
      // Many nodes fanning out of one input: a wide graph.
      const n = 100 + rng.size(1000, 20_000, 0.05);
      let last = x;
      for (let i = 0; i < n; i++) last = b.node('Relu', [x], { name: `relu${i}` })[0]!;
      b.output(last, DataType.FLOAT, [1, 4], 'y');
      model = b.buildModel();
      how = `${n} parallel nodes`;
      break;
    }
  }
  return { model: await writeModelBytes(model), how };
}

/** The CLI commands an ONNX case runs (in-process). */
export function onnxCommands(rng: Rng, file: string, base: string): string[][] {
  return [rng.pick([['inspect', file], ['inspect', file, '--shapes'], ['inspect', file, '--json'], ['diff', base, file], ['diff', file, file, '--json'], ['graph', file, '--html', 'out.html']])];
}

export type { CaseSpec };
