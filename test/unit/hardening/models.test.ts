import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataType } from '../../../src/core/onnx/model';
import { ModelBuilder } from '../../../src/core/onnx/builder';
import { MAX_GRAPH_DEPTH, OnnxFormatError, readModelBytes } from '../../../src/core/onnx/read';
import { writeModelBytes, writeModelFile } from '../../../src/core/onnx/write';
import { runCliCaptured } from '../cli/runCli';
import { nestedIfs } from './hostileModels';

/** A model whose one weight has `dims` and `bytes` of data (raw, or external with `external`). */
function weightModel(dims: number[], bytes: Uint8Array): ModelBuilder {
  const b = new ModelBuilder({ name: 'w', seed: 1 });
  const x = b.input('x', DataType.FLOAT, [1, 4]);
  const w = b.initializer('w', dims, { dataType: DataType.FLOAT, bytes });
  b.output(b.op('MatMul', [x, w]), DataType.FLOAT, [1, dims[1] ?? 1], 'y');
  return b;
}

describe('hardening: nonsense in models is refused with a reason', function () {
  this.timeout(60_000);
  let dir: string;
  before(() => (dir = mkdtempSync(join(tmpdir(), 'aios-harden-models-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('caps nesting by graphs, not protobuf messages: 32 nested Ifs read, deeper than the cap is refused', async () => {
    const ok = readModelBytes(await writeModelBytes(nestedIfs(32)));
    assert.equal(ok.graph.nodes.length, 1);
    const deep = await writeModelBytes(nestedIfs(MAX_GRAPH_DEPTH + 2));
    assert.throws(() => readModelBytes(deep), (e: unknown) => e instanceof OnnxFormatError && /graphs nested deeper than 64 levels/.test(e.message));
  });

  it('refuses negative tensor dimensions instead of counting negative parameters', async () => {
    const path = join(dir, 'neg.onnx');
    await writeModelFile(weightModel([-5, 4], new Uint8Array(16)).buildModel(), path);
    const run = await runCliCaptured(['inspect', path, '--json']);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /^aios: .*neg\.onnx: tensor dimension -5 is not a non-negative count .*\n$/);
  });

  it('graph: weight data shorter than its dims is a malformed model (exit 2), not an internal error', async () => {
    const path = join(dir, 'short.onnx');
    await writeModelFile(weightModel([1000, 1000], new Uint8Array(16)).buildModel(), path);
    const run = await runCliCaptured(['graph', path, '--html', join(dir, 'short.html')]);
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, /holds 16 bytes, fewer than its 1000000 float32 elements need: the model is malformed/);
    assert.doesNotMatch(run.stderr, /internal error/);
  });

  it('graph --html into a folder that cannot be written says why (exit 2)', async () => {
    const path = join(dir, 'ok.onnx');
    await writeModelFile(weightModel([4, 4], new Uint8Array(64)).buildModel(), path);
    const run = await runCliCaptured(['graph', path, '--html', '/proc/aios-graph.html']);
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, /^aios: .*aios-graph\.html: (no such file or folder|permission denied)\n$/);
  });
});
