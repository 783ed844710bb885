import { strict as assert } from 'node:assert';
import { promises as fsp, readFileSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { nodeFileSystem, type FileSystem } from '../../../src/core/fs';
import { LineIndex } from '../../../src/core/diagnostics/lineIndex';
import type { Diagnostic } from '../../../src/core/diagnostics/types';
import { applyEdits } from '../applyEdits';
import { readModelFile } from '../../../src/core/onnx/read';
import { writeModelFile } from '../../../src/core/onnx/write';
import { builtinCatalog } from '../../../src/core/soc/catalog';
import { ModelMetadataCache } from '../../../src/core/usecase/modelMetadata';
import { checkUseCase, validateUseCase, type UseCaseValidationContext } from '../../../src/core/usecase/validateUseCase';
import { cnnClassifier } from '../../../src/core/onnx/fixtures';
import { ModelBuilder } from '../../../src/core/onnx/builder';
import { DataType } from '../../../src/core/onnx/model';
import { makeWorkspace, testHost } from './workspace';

const catalog = builtinCatalog(testHost);

const valid = `apiVersion: aios/v1
kind: UseCase
name: dms
domain: cockpit
model:
  path: models/tiny.onnx
  inputs: [{name: image, shape: [1, 1, 32, 32], dtype: float32}]
  outputs: [{name: gaze}]
quantization:
  precision: int8
  keepFloat: ["/head/*"]
targets:
  - soc: qualcomm-sa8295p
    engine: npu
    budgets: {latency: 8ms, memory: 64MiB, power: 1.5W, fps: 30}
`;

function textOf(text: string, d: Diagnostic): string {
  const lines = new LineIndex(text);
  return text.slice(lines.offsetAt(d.range.start), lines.offsetAt(d.range.end));
}

function syncContext(filePath = '/ws/a.usecase.yaml') {
  return { catalog, filePath };
}

describe('use-case validation', () => {
  let ws: Awaited<ReturnType<typeof makeWorkspace>>;
  let context: UseCaseValidationContext;
  let reads = 0;
  before(async () => {
    ws = await makeWorkspace();
    context = {
      fs: nodeFileSystem,
      workspaceRoot: ws.root,
      filePath: join(ws.dir, 'dms.usecase.yaml'),
      catalog,
      models: new ModelMetadataCache((p) => {
        reads++;
        return readModelFile(p);
      }),
      realPath: (p) => fsp.realpath(p),
    };
  });

  it('passes a correct use case against a real model', async () => {
    const result = await validateUseCase(valid, context);
    assert.deepEqual(result.diagnostics, []);
    assert.equal(result.useCase?.targets[0]?.budgets?.latency?.value, 0.008);
  });

  it('places an unknown key on the key and a bad value on the value', () => {
    const text = valid.replace('domain: cockpit', 'domian: cockpit\ndomain: cockpi');
    const { diagnostics } = checkUseCase(text, syncContext());
    const unknown = diagnostics.find((d) => d.code === 'AIOS201');
    const badEnum = diagnostics.find((d) => d.code === 'AIOS203');
    assert.ok(unknown && badEnum);
    assert.equal(textOf(text, unknown), 'domian');
    assert.deepEqual(unknown.range.start, { line: 3, character: 0 });
    assert.equal(textOf(text, badEnum), 'cockpi');
    assert.match(badEnum.message, /cockpit, adas, body, chassis, powertrain/);
  });

  it('says where a key one level too high belongs', () => {
    const text = valid.replace('    engine: npu\n', '    engine: npu\n    fps: 30\n').replace(', fps: 30}', '}');
    const d = checkUseCase(text, syncContext()).diagnostics;
    assert.equal(d.length, 1);
    assert.equal(d[0]?.code, 'AIOS201');
    assert.match(d[0]?.message ?? '', /'fps' in targets\[0\]; it belongs under 'budgets'/);
  });

  it('reports every YAML error, not only the first', () => {
    const text = 'apiVersion: aios/v1\nkind: [UseCase\nname: "open\n  - x: y\n';
    const { diagnostics } = checkUseCase(text, syncContext());
    assert.ok(diagnostics.filter((d) => d.code === 'AIOS101').length >= 2, JSON.stringify(diagnostics));
  });

  it('offers quick fixes that make the diagnostic go away', async () => {
    const broken = valid
      .replace('latency: 8ms', 'latency: 8')
      .replace('soc: qualcomm-sa8295p', 'soc: qualcom-sa8295')
      .replace('domain: cockpit', 'domain: cokpit')
      .replace('{name: gaze}', '{name: gase}')
      .replace('engine: npu', 'engnie: npu');
    let text = broken;
    const first = await validateUseCase(text, context);
    const codes = first.diagnostics.map((d) => d.code).sort();
    assert.deepEqual(codes, ['AIOS201', 'AIOS203', 'AIOS205', 'AIOS305', 'AIOS308'].sort());
    for (const d of first.diagnostics) {
      const fix = d.fixes?.find((f) => f.preferred) ?? d.fixes?.[0];
      assert.ok(fix, `${d.code} has a fix`);
    }
    // Apply one preferred fix at a time (ranges shift), re-validating in between.
    for (let round = 0; round < 10; round++) {
      const { diagnostics } = await validateUseCase(text, context);
      const fixable = diagnostics.find((d) => d.fixes?.some((f) => f.preferred));
      if (!fixable) break;
      const fix = fixable.fixes?.find((f) => f.preferred);
      text = applyEdits(text, fix?.edits ?? []);
    }
    const after = await validateUseCase(text, context);
    assert.deepEqual(after.diagnostics, [], text);
    assert.match(text, /latency: 8ms/);
    assert.match(text, /soc: qualcomm-sa8295p/);
    assert.match(text, /engine: npu/);
    assert.match(text, /\{name: gaze\}/);
    assert.match(text, /domain: cockpit/);
  });

  it('offers a quick fix for every value that is not one of the allowed ones: all of them when none is close (asil: E)', async () => {
    const safety = valid.replace('domain: cockpit\n', 'domain: cockpit\nsafety:\n  asil: E\n');
    const asil = checkUseCase(safety, context).diagnostics.find((d) => d.code === 'AIOS203');
    assert.deepEqual(asil?.fixes?.map((f) => f.title), ["Change to 'QM'", "Change to 'A'", "Change to 'B'", "Change to 'C'", "Change to 'D'"]);
    assert.ok(asil?.fixes?.every((f) => !f.preferred), 'no guess is preferred when nothing is close');
    const fixed = applyEdits(safety, asil?.fixes?.[3]?.edits ?? []);
    assert.match(fixed, /asil: C\n/);
    assert.deepEqual(checkUseCase(fixed, context).diagnostics.filter((d) => d.severity === 'error'), []);
    const fixture = readFileSync(join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'usecase', 'broken', 'enum-values.usecase.yaml'), 'utf8');
    const enumErrors = checkUseCase(fixture, context).diagnostics.filter((d) => d.code === 'AIOS203');
    assert.equal(enumErrors.length, 9);
    for (const d of enumErrors) assert.ok((d.fixes?.length ?? 0) > 0, `${d.message} has a fix`);
  });

  it('checks declared inputs and outputs against the model: names, dtypes, ranks', async () => {
    const text = valid.replace('[{name: image, shape: [1, 1, 32, 32], dtype: float32}]', '[{name: image, shape: [1, 3, 32, 32], dtype: int64}]');
    const { diagnostics } = await validateUseCase(text, context);
    const dtype = diagnostics.find((d) => d.code === 'AIOS306');
    const shape = diagnostics.find((d) => d.code === 'AIOS307');
    assert.ok(dtype && shape, JSON.stringify(diagnostics));
    assert.equal(textOf(text, dtype), 'int64');
    assert.match(dtype.message, /float32/);
    assert.equal(textOf(text, shape), '3');
    assert.equal(dtype.fixes?.[0]?.edits[0]?.newText, 'float32');
  });

  it('estimates the weights at the chosen precision from their stored size (fp16 weights are 2 bytes each)', async () => {
    const b = new ModelBuilder({ name: 'half', seed: 1 });
    const x = b.input('image', DataType.FLOAT16, [1, 1024]);
    const w = b.initializer('w', [1024, 1024], { dataType: DataType.FLOAT16, bytes: new Uint8Array(2 * 1024 * 1024) });
    b.output(b.op('MatMul', [x, w]), DataType.FLOAT16, [1, 1024], 'gaze');
    await writeModelFile(b.buildModel(), join(ws.dir, 'models', 'half.onnx'));
    const useCase = (precision: string) =>
      valid.replace('models/tiny.onnx', 'models/half.onnx').replace('dtype: float32', 'dtype: float16').replace('precision: int8', `precision: ${precision}`).replace('memory: 64MiB', 'memory: 1.5MiB');
    const at = async (precision: string) => (await validateUseCase(useCase(precision), context)).diagnostics.filter((d) => d.code === 'AIOS330');
    const fp16 = await at('fp16');
    assert.equal(fp16.length, 1, JSON.stringify(fp16));
    assert.match(fp16[0]!.message, /weights alone at fp16 \(2MiB\)/);
    assert.deepEqual(await at('int8'), []);
  });

  it('reads a model once while it is unchanged, and again after it changes', async () => {
    const model = join(ws.dir, 'models', 'cached.onnx');
    await writeModelFile(cnnClassifier({ inputName: 'image', inputShape: [1, 1, 32, 32], outputName: 'gaze' }), model);
    const text = valid.replace('models/tiny.onnx', 'models/cached.onnx');
    const before = reads;
    for (let i = 0; i < 5; i++) await validateUseCase(text, context);
    assert.equal(reads - before, 1);
    await writeModelFile(cnnClassifier({ inputName: 'pixels', inputShape: [1, 1, 32, 32], outputName: 'gaze' }), model);
    const later = new Date(Date.now() + 5000);
    utimesSync(model, later, later);
    const { diagnostics } = await validateUseCase(text, context);
    assert.equal(reads - before, 2);
    // One problem, one diagnostic: the renamed input is offered as the fix, not reported again as undeclared (AIOS325).
    assert.deepEqual(diagnostics.map((d) => d.code).sort(), ['AIOS304']);
    assert.deepEqual(diagnostics[0]?.fixes?.map((f) => f.edits[0]?.newText), ['pixels']);
  });

  it('refuses a model reached through a symbolic link that leaves the workspace, without reading it', async () => {
    const before = reads;
    const { diagnostics } = await validateUseCase(valid.replace('models/tiny.onnx', 'models/escape.onnx'), context);
    assert.deepEqual(diagnostics.map((d) => d.code), ['AIOS302']);
    assert.match(diagnostics[0]?.message ?? '', /symbolic link/);
    assert.equal(reads, before);
  });

  it('reads nothing except through the FileSystem it is given', async () => {
    const seen: string[] = [];
    const counting: FileSystem = {
      readFile: (p, s) => (seen.push(`read ${p}`), nodeFileSystem.readFile(p, s)),
      stat: (p) => (seen.push(`stat ${p}`), nodeFileSystem.stat(p)),
      readDirectory: (p) => (seen.push(`list ${p}`), nodeFileSystem.readDirectory(p)),
    };
    const text = valid.replace('precision: int8', 'precision: int8\ncalibration: {data: data/calib, samples: 1}').replace('quantization:\n  precision: int8\ncalibration: {data: data/calib, samples: 1}', 'calibration: {data: data/calib, samples: 1}\nquantization:\n  precision: int8');
    const { diagnostics } = await validateUseCase(text, { ...context, fs: counting });
    assert.deepEqual(diagnostics, []);
    assert.ok(seen.some((s) => s.startsWith('stat') && s.endsWith('tiny.onnx')));
    assert.ok(seen.some((s) => s.startsWith('list') && s.endsWith('calib')));
  });

  it('stops when cancelled and rejects with the abort reason', async () => {
    const controller = new AbortController();
    controller.abort(new Error('superseded by a newer edit'));
    await assert.rejects(validateUseCase(valid, { ...context, signal: controller.signal }), /superseded/);
  });

  it('warns about an absolute path inside the workspace and offers the relative one', async () => {
    const absolute = join(ws.dir, 'models', 'tiny.onnx');
    const text = valid.replace('path: models/tiny.onnx', `path: ${absolute}`);
    const { diagnostics } = await validateUseCase(text, context);
    assert.deepEqual(diagnostics.map((d) => `${d.code} ${d.severity}`), ['AIOS331 warning']);
    assert.equal(textOf(text, diagnostics[0]!), absolute);
    assert.deepEqual(diagnostics[0]?.fixes?.map((f) => f.edits[0]?.newText), ['models/tiny.onnx']);
  });

  it('runs the model checks on every declared input, even when another entry breaks the schema', async () => {
    const text = valid.replace(/inputs: \[.*\]/, 'inputs: [{name: pixels, dtype: float}, {name: image, shape: [1, 1, 32]}]');
    const { diagnostics } = await validateUseCase(text, context);
    assert.deepEqual(diagnostics.map((d) => d.code).sort(), ['AIOS203', 'AIOS304', 'AIOS307']);
  });

  it('says once that a SoC target was saved as a use case, instead of a schema error per key', () => {
    const soc = 'apiVersion: aios/v1\nkind: SocTarget\nid: board\nname: Board\nvendor: X\nengines: []\n';
    const { diagnostics } = checkUseCase(soc, { ...syncContext(), filePath: '/ws/board.usecase.yaml' });
    assert.deepEqual(diagnostics.map((d) => d.code), ['AIOS209']);
    assert.match(diagnostics[0]?.message ?? '', /rename it to board\.soc\.yaml/);
  });

  it('flags a duplicate use-case name with the other file', () => {
    const { diagnostics } = checkUseCase(valid, { ...syncContext(), otherUseCases: [{ name: 'dms', file: '/ws/other.usecase.yaml' }] });
    const d = diagnostics.find((x) => x.code === 'AIOS312');
    assert.equal(d?.related?.[0]?.file, '/ws/other.usecase.yaml');
  });

  it('flags tabs, duplicate keys, several documents and non-UTF-8 text', () => {
    const codes = (text: string) => checkUseCase(text, syncContext()).diagnostics.map((d) => d.code);
    assert.ok(codes('a:\n\tb: 1\n').includes('AIOS102'));
    assert.ok(codes('name: a\nname: b\n').includes('AIOS103'));
    assert.ok(codes('name: a\n---\nname: b\n').includes('AIOS104'));
    assert.ok(codes('name: a\ufffd\n').includes('AIOS100'));
    assert.ok(codes('').includes('AIOS105'));
    assert.ok(codes('- just\n- a list\n').includes('AIOS202'));
    assert.ok(codes('x: !weird 1\n').includes('AIOS106') || codes('x: !weird 1\n').includes('AIOS101'));
  });

  it('validates every sample clean against its real model', async () => {
    const samples = join(__dirname, '..', '..', '..', '..', 'samples');
    const root = join(samples, '..');
    for (const file of ['cockpit/driver-monitoring', 'cockpit/voice-assistant', 'adas/front-camera-perception', 'body/cabin-occupancy', 'chassis/road-surface', 'powertrain/battery-health']) {
      const path = join(samples, `${file}.usecase.yaml`);
      const { diagnostics } = await validateUseCase(readFileSync(path, 'utf8'), { ...context, workspaceRoot: root, filePath: path });
      assert.deepEqual(diagnostics, [], file);
    }
  });

  it('applies a fix that inserts a missing block', () => {
    const text = 'apiVersion: aios/v1\nkind: UseCase\nname: x\ndomain: body\nmodel:\n  path: m.onnx\ndeployment:\n  ecu: e\n  placement: split\n';
    const d = checkUseCase(text, syncContext()).diagnostics.find((x) => x.code === 'AIOS319');
    assert.ok(d?.fixes?.[0]);
    const fixed = applyEdits(text, d.fixes[0].edits);
    assert.deepEqual(checkUseCase(fixed, syncContext()).diagnostics, [], fixed);
  });
});
