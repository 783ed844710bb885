import { strict as assert } from 'node:assert';
import { readModelFile } from '../../../src/core/onnx/read';
import { inferShapes } from '../../../src/core/onnx/shape';
import { compareTensor, conformanceModels, newComparison, referenceShapes, referenceUnavailable, type Comparison } from './referenceShapes';

/** Reports figures on stderr so that CI logs carry them; assertions decide pass or fail. */
function report(label: string, c: Comparison, models: number): void {
  process.stderr.write(`      ${label}: ${models} models, ${c.agree} tensors agree, ${c.oursUnknown} unknown in ours where onnx is concrete, ${c.mismatches.length} mismatches\n`);
  if (process.env['AIOS_SHAPES_VERBOSE'] === label) for (const u of c.unknownExamples) process.stderr.write(`        unknown: ${u}\n`);
}

describe('shape inference cross-check against python3-onnx', function () {
  this.timeout(300_000);
  const reason = referenceUnavailable();

  it('agrees with onnx.shape_inference on the Debian conformance models', async function () {
    if (reason) this.skip();
    const paths = conformanceModels(['node', 'simple', 'pytorch-converted', 'pytorch-operator']);
    if (paths.length === 0) this.skip();
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
});
