import { strict as assert } from 'node:assert';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Dim } from '../../../src/core/onnx/model';
import { readModelFile, readTensorBytes } from '../../../src/core/onnx/read';
import { inferShapes } from '../../../src/core/onnx/shape';
import { conformanceModels } from './referenceShapes';
import { noConformanceData, skipBecause } from '../skipBecause';

function dataTensorDims(file: string): number[] | undefined {
  try {
    return [...readTensorBytes(readFileSync(file)).dims];
  } catch {
    return undefined; // sequences, optionals and maps are stored as other protos
  }
}

/**
 * Ground truth from the conformance data itself: infer with the shapes of the recorded inputs
 * (input_N.pb), then every output dim we claim concretely must equal the recorded output
 * (output_N.pb). Independent of python3-onnx.
 */
describe('shape inference against the recorded outputs of the conformance tests', function () {
  this.timeout(300_000);

  it('never claims an output dim that differs from the recorded output', async function () {
    const paths = conformanceModels(['node', 'simple', 'pytorch-converted', 'pytorch-operator']);
    if (paths.length === 0) skipBecause(this, noConformanceData);
    let agree = 0;
    let unknown = 0;
    let models = 0;
    const mismatches: string[] = [];
    for (const path of paths) {
      const dir = join(path, '..', 'test_data_set_0');
      if (!existsSync(dir)) continue;
      const model = await readModelFile(path);
      const initializers = new Set(model.graph.initializers.map((t) => t.name));
      const inputs = model.graph.inputs.filter((v) => !initializers.has(v.name));
      const inputShapes: Record<string, Dim[]> = {};
      let usable = true;
      inputs.forEach((v, i) => {
        const file = join(dir, `input_${i}.pb`);
        const dims = existsSync(file) ? dataTensorDims(file) : undefined;
        if (dims && v.type?.kind === 'tensor') inputShapes[v.name] = dims;
        else if (existsSync(file)) usable = false;
      });
      if (!usable) continue;
      let ours;
      try {
        ours = await inferShapes(model, { inputShapes, ignoreAnnotations: true });
      } catch {
        continue; // recorded inputs that contradict the declared shape (a few tests feed other ranks)
      }
      models++;
      model.graph.outputs.forEach((v, i) => {
        const file = join(dir, `output_${i}.pb`);
        const expected = existsSync(file) ? dataTensorDims(file) : undefined;
        if (!expected) return;
        const shape = ours.tensors.get(v.name)?.shape;
        const test = path.split('/').slice(-2, -1)[0];
        if (!shape) {
          unknown++;
          return;
        }
        if (shape.length !== expected.length || shape.some((d, k) => typeof d === 'number' && d !== expected[k])) {
          mismatches.push(`${test}:${v.name}: ours [${shape.map((d) => d ?? '?').join(',')}], recorded [${expected.join(',')}]`);
        } else if (shape.every((d) => typeof d === 'number')) agree++;
        else unknown++;
      });
    }
    process.stderr.write(`      recorded outputs: ${models} models, ${agree} outputs fully agree, ${unknown} partly or fully unknown in ours, ${mismatches.length} mismatches\n`);
    assert.deepEqual(mismatches, []);
    assert.ok(agree > 800, `most outputs are fully inferred (${agree})`);
  });
});
