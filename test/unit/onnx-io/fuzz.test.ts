import { strict as assert } from 'node:assert';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { ModelBuilder, attr } from '../../../src/core/onnx/builder';
import { cnnClassifier, lstmRegressor, tinyLlm } from '../../../src/core/onnx/fixtures';
import { DataType, type Model } from '../../../src/core/onnx/model';
import { OnnxFormatError, readModelBytes } from '../../../src/core/onnx/read';
import { Cursor } from '../../../src/core/onnx/proto/cursor';
import { ModelParser } from '../../../src/core/onnx/readProto';
import { writeModelBytes } from '../../../src/core/onnx/write';
import { allTensors } from '../../../src/core/onnx/writeProto';
import { TESTDATA } from './reference';
import { noConformanceData, skipBecause } from '../skipBecause';

/** Fixed seed and run count: CI runs the same mutations every time. */
const SEED = 20261201;
const RUNS_PER_MODEL = 4000;

type Mutation =
  | { kind: 'flip'; at: number; bit: number }
  | { kind: 'byte'; at: number; value: number }
  | { kind: 'varint'; at: number; value: number }
  | { kind: 'truncate'; at: number };

function mutation(size: number): fc.Arbitrary<Mutation> {
  const at = fc.nat({ max: size - 1 });
  return fc.oneof(
    fc.record({ kind: fc.constant('flip' as const), at, bit: fc.nat({ max: 7 }) }),
    fc.record({ kind: fc.constant('byte' as const), at, value: fc.nat({ max: 255 }) }),
    // Overwrites a length or tag with a (often large) varint, corrupting the message structure.
    fc.record({ kind: fc.constant('varint' as const), at, value: fc.oneof(fc.nat({ max: 300 }), fc.constantFrom(0x7fffffff, 0xffffffff, 2 ** 40, 2 ** 53 - 1)) }),
    fc.record({ kind: fc.constant('truncate' as const), at }),
  );
}

function apply(original: Uint8Array, mutations: readonly Mutation[]): Uint8Array {
  let bytes = Uint8Array.from(original);
  for (const m of mutations) {
    if (m.at >= bytes.length) continue;
    switch (m.kind) {
      case 'flip':
        bytes[m.at] = bytes[m.at]! ^ (1 << m.bit);
        break;
      case 'byte':
        bytes[m.at] = m.value;
        break;
      case 'varint': {
        let v = m.value;
        for (let k = m.at; k < bytes.length; k++) {
          bytes[k] = v >= 0x80 ? (v % 0x80) | 0x80 : v;
          if (v < 0x80) break;
          v = Math.floor(v / 0x80);
        }
        break;
      }
      case 'truncate':
        bytes = bytes.subarray(0, m.at);
        break;
    }
  }
  return bytes;
}

/** Parses through a 13-byte window, so every refill path of the file reader is exercised too. */
function readThroughSmallWindow(bytes: Uint8Array): Model {
  const source = { size: bytes.length, readInto: (target: Uint8Array, offset: number) => (target.set(bytes.subarray(offset, offset + target.length)), Math.min(target.length, bytes.length - offset)) };
  const payloads = { description: 'fuzz', read: async () => new Uint8Array(0), chunks: async function* () {} };
  return new ModelParser(Cursor.overSource(source, 13), payloads, { modelDir: undefined, file: undefined, signal: undefined }).parseModel();
}

/** Parses (from memory, or through the small window) and reads every payload; rethrows anything but OnnxFormatError. */
async function readEverything(bytes: Uint8Array, windowed = false): Promise<'ok' | 'format-error' | 'bad-payload'> {
  let model: Model;
  try {
    model = windowed ? readThroughSmallWindow(bytes) : readModelBytes(bytes);
  } catch (e) {
    if (e instanceof OnnxFormatError) return 'format-error';
    throw e;
  }
  if (windowed) return 'ok';
  try {
    for (const tensor of allTensors(model)) await tensor.data.read();
    return 'ok';
  } catch (e) {
    if (e instanceof OnnxFormatError) return 'bad-payload';
    throw e;
  }
}

function ifModel(): Model {
  const b = new ModelBuilder({ name: 'nested', seed: 9 });
  const cond = b.input('cond', DataType.BOOL, []);
  const x = b.input('x', DataType.FLOAT, ['n']);
  const inner = b.subgraph('inner', (g) => g.output(g.op('Abs', [x]), DataType.FLOAT, ['n']));
  const thenBranch = b.subgraph('then', (g) => g.output(g.op('If', [cond], { then_branch: attr.graph(inner), else_branch: attr.graph(inner) }), DataType.FLOAT, ['n']));
  const y = b.op('If', [cond], { then_branch: attr.graph(thenBranch), else_branch: attr.graph(inner) });
  b.output(y, DataType.FLOAT, ['n'], 'y');
  return b.buildModel();
}

describe('ONNX reader fuzz (mutated and truncated models)', function () {
  this.timeout(300_000);

  const seeds: Array<{ name: string; bytes: () => Promise<Uint8Array>; missing?: boolean }> = [
    { name: 'CNN classifier', bytes: () => writeModelBytes(cnnClassifier({ stages: [4, 8] })) },
    { name: 'LSTM', bytes: () => writeModelBytes(lstmRegressor({ hidden: 4 })) },
    { name: 'tiny LLM', bytes: () => writeModelBytes(tinyLlm({ layers: 1, vocab: 8, model: 8, maxPositions: 4 })) },
    { name: 'nested If subgraphs', bytes: () => writeModelBytes(ifModel()) },
  ];
  for (const test of ['node/test_loop11', 'node/test_scan9_sum', 'pytorch-converted/test_Embedding', 'node/test_cast_FLOAT_to_STRING', 'node/test_sequence_map_add_2_sequences']) {
    const file = join(TESTDATA, test, 'model.onnx');
    seeds.push({ name: test, bytes: async () => readFileSync(file), missing: !existsSync(file) });
  }

  for (const seed of seeds) {
    it(`${seed.name}: ${RUNS_PER_MODEL} mutations only ever give a model or an OnnxFormatError`, async function () {
      if (seed.missing) skipBecause(this, noConformanceData);
      const original = await seed.bytes();
      assert.equal(await readEverything(original), 'ok', 'the unmutated model reads');
      const outcomes = { ok: 0, 'format-error': 0, 'bad-payload': 0 };
      let slowestMs = 0;
      await fc.assert(
        fc.asyncProperty(fc.array(mutation(original.length), { minLength: 1, maxLength: 4 }), async (mutations) => {
          const started = performance.now();
          const mutated = apply(original, mutations);
          const outcome = await readEverything(mutated);
          assert.equal(await readEverything(mutated, true), outcome === 'format-error' ? 'format-error' : 'ok', 'the windowed file parser agrees with the in-memory one');
          outcomes[outcome]++;
          slowestMs = Math.max(slowestMs, performance.now() - started);
        }),
        { seed: SEED, numRuns: RUNS_PER_MODEL, endOnFailure: true },
      );
      console.log(
        `      ${original.length} bytes: ${outcomes.ok} still readable, ${outcomes['format-error']} OnnxFormatError on open, ` +
          `${outcomes['bad-payload']} OnnxFormatError on reading a payload; slowest case ${slowestMs.toFixed(1)} ms`,
      );
      assert.ok(outcomes['format-error'] > 0, 'the mutations do break models');
    });
  }

  it('every truncation of a model gives an OnnxFormatError or a (shorter) model', async () => {
    const original = await writeModelBytes(tinyLlm({ layers: 1, vocab: 8, model: 8, maxPositions: 4 }));
    let errors = 0;
    for (let cut = 0; cut < original.length; cut++) if ((await readEverything(original.subarray(0, cut))) !== 'ok') errors++;
    console.log(`      ${original.length} truncations: ${errors} OnnxFormatError`);
    assert.ok(errors > original.length * 0.9);
  });
});
