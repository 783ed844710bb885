import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { tinyLlm } from '../../../src/core/onnx/fixtures';
import { readModelBytes, readModelFile, readTensorBytes } from '../../../src/core/onnx/read';
import { writeModelBytes, writeModelFile, writeTensorBytes } from '../../../src/core/onnx/write';
import { SINGLE_THREAD, outputFingerprint, snapshot, toOrtTensor } from './compare';
import { SYSTEM_PYTHON, conformanceModels, hasPythonOnnx, makeReferenceModels } from './reference';
import { noConformanceData, noPythonOnnx, skipBecause } from '../skipBecause';

/** Ops whose outputs differ from run to run, so only output types and shapes can be compared. */
const NONDETERMINISTIC_OPS = new Set(['RandomNormal', 'RandomUniform', 'RandomNormalLike', 'RandomUniformLike', 'Multinomial', 'Bernoulli']);

interface Tally {
  models: number;
  structurallyEqual: number;
  sameOutputs: number;
  shapeOnly: number;
  ortCannotLoad: string[];
  ortCannotRun: string[];
  nonTensorInputs: string[];
}

async function loadOrUndefined(bytes: Uint8Array): Promise<ort.InferenceSession | undefined> {
  try {
    return await ort.InferenceSession.create(bytes, SINGLE_THREAD);
  } catch {
    return undefined;
  }
}

describe('ONNX writer round trip on Debian conformance models', function () {
  this.timeout(600_000);

  it('read -> write gives models onnxruntime-node runs to identical outputs, and read(write(read(x))) equals read(x)', async function () {
    const dirs = conformanceModels();
    if (dirs.length === 0) skipBecause(this, noConformanceData);
    const tally: Tally = { models: 0, structurallyEqual: 0, sameOutputs: 0, shapeOnly: 0, ortCannotLoad: [], ortCannotRun: [], nonTensorInputs: [] };
    const started = Date.now();
    for (const dir of dirs) {
      const name = dir.split('/').slice(-2).join('/');
      tally.models++;
      const originalBytes = readFileSync(join(dir, 'model.onnx'));
      const model = await readModelFile(join(dir, 'model.onnx'));
      const rewritten = await writeModelBytes(model);
      assert.deepStrictEqual(await snapshot(readModelBytes(rewritten)), await snapshot(model), `${name}: read(write(read(x))) differs from read(x)`);
      tally.structurallyEqual++;

      const original = await loadOrUndefined(originalBytes);
      if (original === undefined) {
        tally.ortCannotLoad.push(name);
        continue;
      }
      const copy = await loadOrUndefined(rewritten);
      assert.ok(copy !== undefined, `${name}: onnxruntime loads the original but not the rewritten model`);
      try {
        const initializerNames = new Set(model.graph.initializers.map((t) => t.name));
        const inputs = model.graph.inputs.filter((i) => !initializerNames.has(i.name));
        if (inputs.some((i) => i.type?.kind !== 'tensor')) {
          tally.nonTensorInputs.push(name);
          continue;
        }
        const shapeOnly = model.graph.nodes.some((n) => NONDETERMINISTIC_OPS.has(n.opType));
        const sets = readdirSync(dir).filter((d) => d.startsWith('test_data_set_')).sort();
        let ran = false;
        for (const set of sets) {
          const feeds: Record<string, ort.Tensor> = {};
          for (const [k, input] of inputs.entries()) {
            const file = join(dir, set, `input_${k}.pb`);
            if (!existsSync(file)) continue;
            const tensor = await toOrtTensor(readTensorBytes(readFileSync(file)));
            if (tensor !== undefined) feeds[input.name] = tensor;
          }
          let expected: Record<string, unknown>;
          try {
            expected = outputFingerprint(await original.run(feeds));
          } catch {
            continue;
          }
          const actual = outputFingerprint(await copy.run(feeds));
          if (shapeOnly) assert.deepStrictEqual(withoutData(actual), withoutData(expected), `${name}/${set}: output types or shapes differ`);
          else assert.deepStrictEqual(actual, expected, `${name}/${set}: outputs differ after the round trip`);
          ran = true;
        }
        if (!ran) tally.ortCannotRun.push(name);
        else if (shapeOnly) tally.shapeOnly++;
        else tally.sameOutputs++;
      } finally {
        await original.release();
        await copy.release();
      }
    }
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    console.log(
      `      round trip: ${tally.models} models, ${tally.structurallyEqual} structurally equal after read(write(read)); ` +
        `${tally.sameOutputs} run to bit-identical outputs, ${tally.shapeOnly} random-op models compared by type and shape; ` +
        `skipped: ${tally.ortCannotLoad.length} onnxruntime cannot load, ${tally.ortCannotRun.length} onnxruntime cannot run on the test inputs, ` +
        `${tally.nonTensorInputs.length} with sequence/optional inputs (${seconds} s)`,
    );
    assert.ok(tally.sameOutputs > dirs.length * 0.8, `only ${tally.sameOutputs} of ${dirs.length} models were compared on outputs`);
  });

  it('round-trips the TensorProtos of the test inputs byte for byte', async function () {
    const dirs = conformanceModels();
    if (dirs.length === 0) skipBecause(this, noConformanceData);
    let count = 0;
    for (const dir of dirs.filter((d) => d.includes('/node/')).slice(0, 200)) {
      const file = join(dir, 'test_data_set_0', 'input_0.pb');
      if (!existsSync(file)) continue;
      const bytes = readFileSync(file);
      let tensor;
      try {
        tensor = readTensorBytes(bytes);
      } catch {
        continue; // sequence or optional protos
      }
      const again = readTensorBytes(await writeTensorBytes(tensor));
      assert.deepStrictEqual(await snapshot(again), await snapshot(tensor), file);
      count++;
    }
    assert.ok(count > 150, `only ${count} input tensors compared`);
  });
});

function withoutData(outputs: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(outputs).map(([k, v]) => [k, { ...(v as object), data: undefined }]));
}

describe('ONNX writer on models written by python3-onnx', function () {
  this.timeout(60_000);
  let dir: string;
  before(function () {
    if (!hasPythonOnnx()) skipBecause(this, noPythonOnnx);
    dir = mkdtempSync(join(tmpdir(), 'aios-write-'));
    makeReferenceModels(dir);
  });
  after(() => {
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  it('writes bytes that python3-onnx parses and re-serialises identically', async () => {
    const model = await readModelFile(join(dir, 'features.onnx'));
    const out = join(dir, 'features.rewritten.onnx');
    const { bytes } = await writeModelFile(model, out);
    const written = readFileSync(out);
    assert.equal(bytes, written.length);
    const script = [
      'import onnx, sys',
      'm = onnx.load(sys.argv[1])',
      'sys.stdout.buffer.write(m.SerializeToString())',
    ].join('\n');
    const reserialised = execFileSync(SYSTEM_PYTHON, ['-c', script, out], { maxBuffer: 1 << 26 });
    assert.equal(Buffer.compare(reserialised, written), 0, 'python3-onnx re-serialises our bytes unchanged (canonical field order and encoding)');
    assert.deepStrictEqual(await snapshot(await readModelFile(out)), await snapshot(model));
  });

  it('keeps external data references, and the rewritten model runs in onnxruntime-node', async () => {
    const source = join(dir, 'runnable_external.onnx');
    const model = await readModelFile(source);
    const out = join(dir, 'runnable_external.rewritten.onnx');
    await writeModelFile(model, out);
    const reread = await readModelFile(out);
    assert.equal(reread.graph.initializers.find((t) => t.name === 'W')!.data.location, 'external');
    const x = new ort.Tensor('float32', Float32Array.from([1, 2, 3, 4, -1, -2, -3, -4]), [2, 4]);
    const run = async (path: string) => {
      const session = await ort.InferenceSession.create(path, SINGLE_THREAD);
      try {
        return outputFingerprint(await session.run({ x }));
      } finally {
        await session.release();
      }
    };
    assert.deepStrictEqual(await run(out), await run(source));
  });

  it('leaves an existing file untouched when a write fails', async () => {
    const model = await readModelFile(join(dir, 'features.onnx'));
    const out = join(dir, 'kept.onnx');
    writeFileSync(out, 'previous content');
    const broken = { ...model, graph: { ...model.graph, initializers: [{ ...model.graph.initializers[0]!, data: { location: 'inline' as const, byteLength: 99, read: async () => new Uint8Array(3) } }] } };
    await assert.rejects(writeModelFile(broken, out), /payload is 3 bytes, but its byteLength says 99/);
    assert.equal(readFileSync(out, 'utf8'), 'previous content');
    assert.deepEqual(readdirSync(dir).filter((f) => f.endsWith('.tmp')), []);
  });
});

describe('ONNX writer with external data', function () {
  this.timeout(60_000);
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'aios-external-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const feeds = () => {
    const f: Record<string, ort.Tensor> = { input_ids: new ort.Tensor('int64', BigInt64Array.from([3n, 1n, 4n]), [1, 3]) };
    for (let i = 0; i < 2; i++) for (const k of ['key', 'value']) f[`past_key_values.${i}.${k}`] = new ort.Tensor('float32', new Float32Array(2 * 2 * 8).fill(0.5), [1, 2, 2, 8]);
    return f;
  };
  const runFile = async (path: string) => {
    const session = await ort.InferenceSession.create(path, SINGLE_THREAD);
    try {
      return outputFingerprint(await session.run(feeds()));
    } finally {
      await session.release();
    }
  };

  it('moves large payloads to one aligned external file that onnxruntime-node and our reader resolve', async () => {
    const model = tinyLlm();
    const inline = join(dir, 'inline.onnx');
    await writeModelFile(model, inline);
    const split = join(dir, 'split.onnx');
    const { bytes, externalBytes } = await writeModelFile(model, split, { externalData: { location: 'split.onnx.data', threshold: 1024 } });
    assert.ok(externalBytes !== undefined && externalBytes > bytes, 'most bytes are external');
    const reread = await readModelFile(split);
    const external = reread.graph.initializers.filter((t) => t.data.location === 'external');
    assert.ok(external.length > 0 && external.every((t) => Number(t.externalData!.find((e) => e.key === 'offset')!.value) % 4096 === 0));
    assert.ok(reread.graph.initializers.filter((t) => t.data.location === 'inline').every((t) => (t.data.byteLength ?? 0) < 1024));
    const payloads = async (m: typeof model) => Object.fromEntries(await Promise.all(m.graph.initializers.map(async (t) => [t.name, Buffer.from(await t.data.read()).toString('hex')])));
    assert.deepStrictEqual(await payloads(reread), await payloads(model));
    assert.deepStrictEqual(await runFile(split), await runFile(inline));
  });

  it('re-homes external data when a model is written to another folder', async function () {
    if (!hasPythonOnnx()) skipBecause(this, noPythonOnnx);
    makeReferenceModels(dir);
    const model = await readModelFile(join(dir, 'runnable_external.onnx'));
    const elsewhere = mkdtempSync(join(tmpdir(), 'aios-elsewhere-'));
    try {
      await writeModelFile(model, join(elsewhere, 'moved.onnx'), { externalData: { location: 'moved.bin' } });
      const moved = await readModelFile(join(elsewhere, 'moved.onnx'));
      const w = moved.graph.initializers.find((t) => t.name === 'W')!;
      assert.equal(w.data.externalPath, 'moved.bin');
      assert.deepEqual([...new Float32Array((await w.data.read()).slice().buffer)], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
      const script = 'import onnx, sys\nm = onnx.load(sys.argv[1])\nonnx.checker.check_model(m)\nprint(m.graph.initializer[0].float_data or len(m.graph.initializer[0].raw_data))';
      assert.match(execFileSync(SYSTEM_PYTHON, ['-c', script, join(elsewhere, 'moved.onnx')], { encoding: 'utf8' }), /^48$/m);
    } finally {
      rmSync(elsewhere, { recursive: true, force: true });
    }
  });

  it('refuses to put more than 2 GiB in one protobuf file, before reading any payload', async () => {
    const model = tinyLlm();
    const huge = { location: 'inline' as const, byteLength: 3 * 2 ** 30, read: async (): Promise<Uint8Array> => assert.fail('payload read') };
    const big = { ...model, graph: { ...model.graph, initializers: [...model.graph.initializers, { name: 'huge', dataType: 1, dims: [3 * 2 ** 28], data: huge }] } };
    await assert.rejects(writeModelBytes(big), /3\.00 GiB in one file, over the 2 GiB limit of protobuf; write it with external data/);
    await assert.rejects(writeModelFile(big, join(dir, 'big.onnx')), /over the 2 GiB limit/);
  });

  it('refuses an external location outside the model folder', async () => {
    await assert.rejects(writeModelFile(tinyLlm(), join(dir, 'm.onnx'), { externalData: { location: '../escape.bin' } }), /cannot be used: it leaves the model folder/);
  });
});
