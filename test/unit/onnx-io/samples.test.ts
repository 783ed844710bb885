import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { SAMPLE_MODELS } from '../../../src/core/onnx/fixtures/samples';
import { readModelFile } from '../../../src/core/onnx/read';
import { writeModelBytes } from '../../../src/core/onnx/write';
import { SINGLE_THREAD } from './compare';
import { REPO_ROOT } from './reference';

describe('sample models (samples/*/models/*.onnx)', function () {
  this.timeout(60_000);

  it('are byte-identical to a fresh regeneration (run scripts/generate-samples.ts after changing a factory)', async () => {
    for (const sample of SAMPLE_MODELS) {
      const committed = readFileSync(join(REPO_ROOT, 'samples', sample.path));
      const regenerated = await writeModelBytes(sample.make());
      assert.equal(Buffer.compare(regenerated, committed), 0, `${sample.path} differs from its regeneration`);
      assert.ok(committed.length < 1 << 20, `${sample.path} stays well under 1 MB`);
    }
  });

  it('every use case model.path exists and loads in onnxruntime-node', async () => {
    const referenced = readdirSync(join(REPO_ROOT, 'samples'))
      .flatMap((domain) => (statSync(join(REPO_ROOT, 'samples', domain)).isDirectory() ? readdirSync(join(REPO_ROOT, 'samples', domain)).map((f) => join(domain, f)) : []))
      .filter((f) => f.endsWith('.usecase.yaml'))
      .map((f) => join(dirname(f), /^\s+path:\s*(\S+)/m.exec(readFileSync(join(REPO_ROOT, 'samples', f), 'utf8'))![1]!));
    assert.deepEqual([...referenced].sort(), SAMPLE_MODELS.map((s) => s.path).sort());
    for (const path of referenced) {
      const session = await ort.InferenceSession.create(join(REPO_ROOT, 'samples', path), SINGLE_THREAD);
      await session.release();
    }
  });

  it('dms.onnx matches its use case: input image [1,1,96,96] float32, output gaze, /backbone and /head scopes', async () => {
    const model = await readModelFile(join(REPO_ROOT, 'samples', 'cockpit', 'models', 'dms.onnx'));
    assert.deepEqual(model.graph.inputs.map((i) => [i.name, i.type]), [['image', { kind: 'tensor', elemType: 1, shape: [1, 1, 96, 96] }]]);
    assert.deepEqual(model.graph.outputs.map((o) => o.name), ['gaze']);
    assert.ok(model.graph.nodes.every((n) => n.name.startsWith('/backbone/') || n.name.startsWith('/head/')));
    assert.ok(model.graph.nodes.some((n) => n.name.startsWith('/head/')) && model.graph.nodes.some((n) => n.name.startsWith('/backbone/stage1/')));
  });
});
