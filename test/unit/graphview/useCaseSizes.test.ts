import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nodeFileSystem } from '../../../src/core/fs';
import { GraphSource } from '../../../src/core/graphview/graphSource';
import { useCaseInputSizes } from '../../../src/core/graphview/useCaseSizes';
import { writeModelFile } from '../../../src/core/onnx/write';
import { paddleStyleModel } from './exporterModels';

describe('graph view input sizes from a use case that references the model', () => {
  const dir = mkdtempSync(join(tmpdir(), 'aios-usecase-sizes-'));
  const model = join(dir, 'models', 'det.onnx');
  before(async () => {
    mkdirSync(join(dir, 'models'));
    mkdirSync(join(dir, 'cases'));
    await writeModelFile(paddleStyleModel(2), model);
    writeFileSync(join(dir, 'cases', 'other.usecase.yaml'), 'model:\n  path: ../models/other.onnx\n  inputs: [{name: x, shape: [1, 3, 96, 96]}]\n');
    writeFileSync(join(dir, 'cases', 'broken.usecase.yaml'), 'model: [unclosed\n');
    writeFileSync(join(dir, 'cases', 'det.usecase.yaml'), 'model:\n  path: ../models/det.onnx\n  inputs: [{name: x, shape: [1, 3, 320, batch]}]\n');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('finds the use case whose model.path is the model, skipping others and broken files; symbolic dims stay unset', async () => {
    const files = ['other', 'broken', 'det'].map((f) => join(dir, 'cases', `${f}.usecase.yaml`));
    const found = await useCaseInputSizes(nodeFileSystem, model, files);
    assert.equal(found?.file, files[2]);
    assert.deepEqual({ ...found?.sizes }, { x: [1, 3, 320, null] });
    assert.equal(await useCaseInputSizes(nodeFileSystem, join(dir, 'models', 'none.onnx'), files), undefined);
  });

  it('computes the view for those sizes, labelled as given, and ignores sizes that do not fit the model', async () => {
    const source = new GraphSource();
    const payload = await source.open(model, 'det.onnx', undefined, { x: [1, 3, 320, null] });
    const sizes = payload.model.totals!.inputSizes[0]!;
    assert.deepEqual(sizes.dims, [1, 3, 320, 224]);
    assert.deepEqual(sizes.sources, ['given', 'model', 'given', 'default']);
    const misfit = await new GraphSource().open(model, 'det.onnx', undefined, { x: [1, 4, 320, 320] });
    assert.deepEqual(misfit.model.totals!.inputSizes[0]!.sources, ['default', 'model', 'default', 'default']);
  });
});
