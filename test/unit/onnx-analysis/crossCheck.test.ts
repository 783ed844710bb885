import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cnnClassifier, detectorHead, lstmRegressor, tinyLlm, transformerEncoder } from '../../../src/core/onnx/fixtures';
import type { Model } from '../../../src/core/onnx/model';
import { readModelFile } from '../../../src/core/onnx/read';
import { writeModelFile } from '../../../src/core/onnx/write';
import { inferShapes } from '../../../src/core/onnx/shape';
import { compareTensor, conformanceModels, debianPython, newComparison, referenceShapes, referenceUnavailable, type Comparison } from './referenceShapes';
import { noConformanceData, skipBecause } from '../skipBecause';

/** Reports figures on stderr so that CI logs carry them; assertions decide pass or fail. */
function report(label: string, c: Comparison, models: number): void {
  process.stderr.write(`      ${label}: ${models} models, ${c.agree} tensors agree, ${c.oursUnknown} unknown in ours where onnx is concrete, ${c.mismatches.length} mismatches; ${c.oursMoreKnown} more concrete in ours than in onnx\n`);
  if (process.env['AIOS_SHAPES_VERBOSE'] === label) for (const u of c.unknownExamples) process.stderr.write(`        unknown: ${u}\n`);
}

describe('shape inference cross-check against python3-onnx', function () {
  this.timeout(300_000);
  const reason = referenceUnavailable();

  it('agrees with onnx.shape_inference on the Debian conformance models', async function () {
    if (reason) skipBecause(this, reason);
    const paths = conformanceModels(['node', 'simple', 'pytorch-converted', 'pytorch-operator']);
    if (paths.length === 0) skipBecause(this, noConformanceData);
    const reference = referenceShapes(paths);
    const vsOnnx = newComparison();
    const vsDeclared = newComparison();
    let unreadable = 0;
    for (const path of paths) {
      const ref = reference[path];
      if (!ref || 'error' in ref) continue;
      let model;
      try {
        model = await readModelFile(path);
      } catch {
        unreadable++;
        continue;
      }
      const ours = await inferShapes(model, { ignoreAnnotations: true });
      const test = path.split('/').slice(-2, -1)[0] ?? path;
      for (const [name, t] of Object.entries(ref.inferred)) compareTensor(vsOnnx, `${test}:${name}`, t, ours.tensors.get(name));
      for (const [name, t] of Object.entries(ref.declared)) compareTensor(vsDeclared, `${test}:${name}`, t, ours.tensors.get(name));
    }
    report('vs onnx inference', vsOnnx, paths.length);
    report('vs declared outputs', vsDeclared, paths.length);
    assert.equal(unreadable, 0, 'every conformance model reads');
    assert.deepEqual(vsOnnx.mismatches, [], 'no concrete dim disagrees with onnx');
    assert.ok(vsOnnx.agree > 1000, `most tensors agree (${vsOnnx.agree})`);
  });

  it('agrees with onnx.shape_inference on the builder fixtures, exporter-pattern models and the sample models, every tensor', async function () {
    if (reason) skipBecause(this, reason);
    const dir = mkdtempSync(join(tmpdir(), 'aios-shape-fixtures-'));
    try {
      const fixtures: Record<string, Model> = {
        'cnn.onnx': cnnClassifier(),
        'cnn-batch.onnx': cnnClassifier({ inputShape: ['batch', 3, 48, 40] }),
        'detector.onnx': detectorHead(),
        'lstm.onnx': lstmRegressor(),
        'encoder.onnx': transformerEncoder(),
        'encoder-decomposed.onnx': transformerEncoder({ layerNorm: 'decomposed' }),
        'llm.onnx': tinyLlm(),
      };
      const paths: string[] = [];
      for (const [file, model] of Object.entries(fixtures)) {
        paths.push(join(dir, file));
        await writeModelFile(model, join(dir, file));
      }
      const patterns = join(dir, 'patterns');
      mkdirSync(patterns);
      const made = spawnSync(debianPython, [join(process.cwd(), 'test/unit/onnx-analysis/make_pattern_models.py'), patterns], { encoding: 'utf8' });
      assert.equal(made.status, 0, made.stderr);
      for (const f of readdirSync(patterns).sort()) paths.push(join(patterns, f));
      for (const domain of readdirSync('samples')) {
        const models = join('samples', domain, 'models');
        try {
          for (const f of readdirSync(models)) if (f.endsWith('.onnx')) paths.push(join(process.cwd(), models, f));
        } catch {
          // a domain without models
        }
      }
      const reference = referenceShapes(paths);
      const c = newComparison();
      for (const path of paths) {
        const ref = reference[path];
        assert.ok(ref && !('error' in ref), `onnx reads ${path}: ${ref && 'error' in ref ? ref.error : 'no result'}`);
        const ours = await inferShapes(await readModelFile(path), { ignoreAnnotations: true });
        assert.deepEqual(ours.problems, [], `no shape problems in ${path}`);
        for (const [name, t] of Object.entries(ref.inferred)) compareTensor(c, `${path.split('/').pop()}:${name}`, t, ours.tensors.get(name));
      }
      report('fixtures, patterns and samples vs onnx inference', c, paths.length);
      assert.deepEqual(c.mismatches, []);
      assert.deepEqual(c.unknownExamples, [], 'every dim onnx knows, we know');
      assert.ok(c.agree > 200, `tensors compared (${c.agree})`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
