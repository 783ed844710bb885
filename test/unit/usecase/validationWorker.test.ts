import { strict as assert } from 'node:assert';
import { promises as fsp, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseYaml } from '../../../src/core/diagnostics/yamlDocument';
import { nodeFileSystem, type FileSystem } from '../../../src/core/fs';
import { readModelFile } from '../../../src/core/onnx/read';
import { builtinTargetInputs } from '../../../src/core/soc/catalog';
import { hostInfoFromOs } from '../../../src/core/soc/hostInfo';
import { loadCatalog } from '../../../src/core/soc/loadCatalog';
import { validateSoc } from '../../../src/core/soc/validateSoc';
import { DocumentValidator } from '../../../src/core/usecase/documentValidator';
import { outline } from '../../../src/core/usecase/editor/outline';
import { ModelMetadataCache } from '../../../src/core/usecase/modelMetadata';
import { useCaseSchema } from '../../../src/core/usecase/schema';
import { ValidationCancelled, ValidationClient } from '../../../src/core/usecase/validationClient';
import type { ValidationJob } from '../../../src/core/usecase/validationProtocol';
import { checkUseCase, useCaseName, validateUseCase } from '../../../src/core/usecase/validateUseCase';
import { generateUseCase } from '../../fixtures/usecase/generate';
import { makeWorkspace } from './workspace';

const repo = join(__dirname, '..', '..', '..', '..');
const workerPath = join(repo, 'dist', 'workers', 'validation.js');
const samples = join(repo, 'samples');
const brokenFixtures = join(repo, 'test', 'fixtures', 'usecase', 'broken');
const host = hostInfoFromOs();

function files(dir: string, pattern: RegExp): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && pattern.test(e.name))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

function job(filePath: string, workspaceRoot: string, extra: Partial<ValidationJob> = {}): ValidationJob {
  return { kind: 'usecase', text: readFileSync(filePath, 'utf8'), filePath, workspaceRoot, saved: true, catalogGeneration: 0, outline: false, ...extra };
}

/** What validateUseCase says in this thread, with the same inputs the worker gets. */
async function inThread(root: string, j: ValidationJob) {
  const { catalog } = await loadCatalog(nodeFileSystem, root, host);
  return validateUseCase(j.text, {
    fs: nodeFileSystem,
    workspaceRoot: root,
    filePath: j.filePath,
    catalog,
    models: new ModelMetadataCache((p) => readModelFile(p)),
    realPath: (p) => fsp.realpath(p),
    otherUseCases: j.otherUseCases ?? [],
  });
}

const acmeTarget = `apiVersion: aios/v1
kind: SocTarget
id: acme-z9
name: Acme Z9
vendor: Acme
engines:
  - id: npu
    kind: npu
    precisions:
      int8: {peak: {value: 10TOPS, source: {kind: datasheet, ref: Acme Z9 brief}}}
memories:
  - id: dram
    kind: dram
    size: {value: 4GiB, source: {kind: estimate, note: test board}}
    bandwidth: {value: 20GB/s, source: {kind: estimate, note: test board}}
power:
  static: {value: 1W, source: {kind: estimate, note: test board}}
  sustained: {value: 10W, source: {kind: estimate, note: test board}}
`;

describe('validation worker (dist/workers/validation.js)', () => {
  let client: ValidationClient;
  beforeEach(() => {
    client = new ValidationClient({ workerPath, host });
  });
  afterEach(() => client.dispose());

  it('gives the same diagnostics as validateUseCase for every sample', async () => {
    const paths = files(samples, /\.usecase\.yaml$/);
    assert.ok(paths.length >= 5, 'the samples are there');
    const names = paths.map((file) => ({ name: useCaseName(readFileSync(file, 'utf8')) ?? '', file }));
    for (const path of paths) {
      const j = job(path, samples, { otherUseCases: names.filter((n) => n.file !== path) });
      const [worker, local] = await Promise.all([client.validate(j), inThread(samples, j)]);
      assert.deepEqual(worker.diagnostics, local.diagnostics, relative(repo, path));
      assert.equal(worker.modelReference, local.useCase?.model.path, relative(repo, path));
      assert.equal(worker.modelPath, join(path, '..', worker.modelReference ?? ''), 'the model path is resolved for the watcher');
    }
    assert.equal(client.completed, paths.length);
    assert.equal(client.workersStarted, 1, 'one worker serves every document');
  });

  it('gives the same diagnostics as validateUseCase / validateSoc for the broken fixtures', async () => {
    const ws = await makeWorkspace(brokenFixtures);
    const useCases = files(ws.dir, /\.usecase\.yaml$/);
    const socs = files(ws.dir, /\.soc\.yaml$/);
    assert.ok(useCases.length > 10 && socs.length > 1);
    const names = useCases.flatMap((file) => {
      const name = useCaseName(readFileSync(file, 'utf8'));
      return name ? [{ name, file }] : [];
    });
    let compared = 0;
    let withFixes = 0;
    for (const path of useCases) {
      const j = job(path, ws.root, { otherUseCases: names.filter((n) => n.file !== path) });
      const [worker, local] = await Promise.all([client.validate(j), inThread(ws.root, j)]);
      assert.deepEqual(worker.diagnostics, local.diagnostics, relative(ws.root, path));
      compared += local.diagnostics.length;
      withFixes += worker.diagnostics.filter((d) => (d.fixes?.length ?? 0) > 0).length;
    }
    const builtinIds = builtinTargetInputs(host).map((t) => t.id);
    const ids = socs.map((file) => ({ file, id: /^id:\s*(\S+)/m.exec(readFileSync(file, 'utf8'))?.[1] ?? '' }));
    for (const path of socs) {
      const otherTargets = ids.filter((i) => i.file !== path);
      const worker = await client.validate({ ...job(path, ws.root), kind: 'soc', builtinIds, otherTargets });
      const local = validateSoc(readFileSync(path, 'utf8'), { filePath: path, builtinIds, otherTargets });
      assert.deepEqual(worker.diagnostics, local.diagnostics, relative(ws.root, path));
      compared += local.diagnostics.length;
    }
    assert.ok(compared > 40, `${compared} diagnostics compared`);
    assert.ok(withFixes > 5, 'quick fixes come back with the diagnostics');
  });

  it('sends the outline of the version it validated, equal to the one computed from a parse', async () => {
    const text = generateUseCase(5000);
    const ws = await makeWorkspace();
    const path = join(ws.dir, 'generated.usecase.yaml');
    const result = await client.validate({ kind: 'usecase', text, filePath: path, workspaceRoot: ws.root, saved: true, catalogGeneration: 0, outline: true });
    assert.deepEqual(result.outline, outline(parseYaml(text).document, useCaseSchema));
    assert.ok((result.outline?.length ?? 0) > 5);
  });

  it('resolves no references of an unsaved document', async () => {
    const ws = await makeWorkspace();
    const text = readFileSync(join(samples, 'cockpit', 'driver-monitoring.usecase.yaml'), 'utf8').replace(/path: \S+\.onnx/, 'path: models/missing.onnx');
    const filePath = 'Untitled-1';
    const unsaved = await client.validate({ kind: 'usecase', text, filePath, workspaceRoot: ws.root, saved: false, catalogGeneration: 0, outline: false });
    const { catalog } = await loadCatalog(nodeFileSystem, ws.root, host);
    assert.deepEqual(unsaved.diagnostics, checkUseCase(text, { catalog, filePath, otherUseCases: [] }).diagnostics);
    assert.equal(unsaved.modelPath, undefined);
    const saved = await client.validate({ kind: 'usecase', text, filePath: join(ws.dir, 'a.usecase.yaml'), workspaceRoot: ws.root, saved: true, catalogGeneration: 0, outline: false });
    assert.ok(saved.diagnostics.some((d) => d.code === 'AIOS301'), 'a saved file does look for its model');
  });

  it('reads the workspace catalog again when the generation changes', async () => {
    const ws = await makeWorkspace();
    const filePath = join(ws.dir, 'acme.usecase.yaml');
    const text = `apiVersion: aios/v1\nkind: UseCase\nname: acme-user\ndomain: body\nmodel:\n  path: models/tiny.onnx\ntargets:\n  - soc: acme-z9\n`;
    const at = (catalogGeneration: number) => client.validate({ kind: 'usecase', text, filePath, workspaceRoot: ws.root, saved: true, catalogGeneration, outline: false });
    const codes = async (generation: number) => (await at(generation)).diagnostics.map((d) => d.code);
    assert.ok((await codes(0)).includes('AIOS308'), 'acme-z9 is unknown');
    mkdirSync(join(ws.root, '.aios', 'targets'), { recursive: true });
    writeFileSync(join(ws.root, '.aios', 'targets', 'acme-z9.soc.yaml'), acmeTarget);
    assert.ok((await codes(0)).includes('AIOS308'), 'the same generation keeps the catalog it read');
    assert.ok(!(await codes(1)).includes('AIOS308'), 'a new generation reads .aios/targets again');
  });

  it('cancels a superseded request of the same document, in the worker too', async () => {
    const ws = await makeWorkspace();
    const filePath = join(ws.dir, 'generated.usecase.yaml');
    const base: ValidationJob = { kind: 'usecase', text: generateUseCase(5000), filePath, workspaceRoot: ws.root, saved: true, catalogGeneration: 0, outline: false };
    const first = client.validate(base, { key: 'doc' });
    const second = client.validate({ ...base, text: base.text.replace('capture: 1s', 'capture: 1') }, { key: 'doc' });
    await assert.rejects(first, (e: unknown) => e instanceof ValidationCancelled && e.name === 'AbortError' && /superseded/.test(e.message));
    const last = await second;
    assert.ok(last.diagnostics.some((d) => d.code === 'AIOS205'), 'the newer text was validated');
    assert.equal(client.completed, 1, 'only the newer request was answered');
    assert.equal(client.cancelledInWorker, 1, 'the worker stopped the superseded validation');
    // Another document is not affected, and a caller's signal cancels as well.
    const controller = new AbortController();
    const other = client.validate(base, { key: 'other', signal: controller.signal });
    controller.abort();
    await assert.rejects(other, ValidationCancelled);
    assert.equal(client.pendingCount, 0);
  });

  it('fails pending requests clearly when the worker crashes, and starts a fresh one next time', async () => {
    const path = join(samples, 'cockpit', 'driver-monitoring.usecase.yaml');
    const pending = client.validate(job(path, samples));
    client.injectFault('crash');
    await assert.rejects(pending, /the validation worker crashed \(crash requested by a test\); the next validation starts a new one/);
    const after = await client.validate(job(path, samples));
    assert.deepEqual(after.diagnostics, (await inThread(samples, job(path, samples))).diagnostics);
    assert.equal(client.workersStarted, 2);
  });

  it('fails pending requests when the worker does not answer in time, and replaces it', async () => {
    client.dispose();
    // Only the stalled request has a short budget; the one after it keeps the default (60 s),
    // so a loaded machine that starts the new worker slowly does not fail the test.
    client = new ValidationClient({ workerPath, host });
    const path = join(samples, 'cockpit', 'driver-monitoring.usecase.yaml');
    client.injectFault('stall', 60_000);
    const other = client.validate(job(join(samples, 'adas', 'front-camera-perception.usecase.yaml'), samples));
    await assert.rejects(client.validate(job(path, samples), { timeoutMs: 1000 }), /did not answer within 1 s and was restarted/);
    await assert.rejects(other, /restarted because a validation did not answer in time/);
    const after = await client.validate(job(path, samples));
    assert.deepEqual(after.diagnostics, (await inThread(samples, job(path, samples))).diagnostics);
    assert.equal(client.workersStarted, 2);
  });

  it('dispose fails what is pending and refuses new work', async () => {
    const pending = client.validate(job(join(samples, 'cockpit', 'driver-monitoring.usecase.yaml'), samples));
    client.dispose();
    await assert.rejects(pending, /shut down/);
    await assert.rejects(client.validate(job(join(samples, 'cockpit', 'driver-monitoring.usecase.yaml'), samples)), /shut down/);
  });
});

describe('DocumentValidator (what the worker runs)', () => {
  it('sends the fast layers and the outline early when the file checks are slow, then everything', async () => {
    const ws = await makeWorkspace();
    const filePath = join(ws.dir, 'slow.usecase.yaml');
    const text = 'apiVersion: aios/v1\nkind: UseCase\nname: slow\ndomain: cockpt\nmodel:\n  path: models/missing.onnx\n';
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    // Stats of the model wait for the gate: a model on a slow network drive.
    const slow: FileSystem = { ...nodeFileSystem, stat: async (p) => (p.endsWith('.onnx') ? gate.then(() => nodeFileSystem.stat(p)) : nodeFileSystem.stat(p)) };
    const validator = new DocumentValidator(host, slow);
    const early = new Promise<{ codes: string[]; outline: boolean }>((resolve) => {
      void validator
        .validate({ kind: 'usecase', text, filePath, workspaceRoot: ws.root, saved: true, catalogGeneration: 0, outline: true }, new AbortController().signal, (e) => resolve({ codes: e.diagnostics.map((d) => d.code), outline: (e.outline?.length ?? 0) > 0 }), 10)
        .then((outcome) => done(outcome.diagnostics.map((d) => d.code)));
    });
    let done!: (codes: string[]) => void;
    const finished = new Promise<string[]>((resolve) => (done = resolve));
    const first = await early;
    assert.deepEqual(first, { codes: ['AIOS203'], outline: true }, 'the schema layer, without the model check');
    release();
    assert.deepEqual((await finished).sort(), ['AIOS203', 'AIOS301']);
  });

  it('rejects with the abort reason when cancelled during the file checks', async () => {
    const ws = await makeWorkspace();
    const controller = new AbortController();
    const slow: FileSystem = { ...nodeFileSystem, stat: async (p) => (controller.abort(new Error('superseded')), nodeFileSystem.stat(p)) };
    const validator = new DocumentValidator(host, slow);
    const text = readFileSync(join(samples, 'cockpit', 'driver-monitoring.usecase.yaml'), 'utf8');
    await assert.rejects(validator.validate({ kind: 'usecase', text, filePath: join(ws.dir, 'a.usecase.yaml'), workspaceRoot: ws.root, saved: true, catalogGeneration: 0, outline: false }, controller.signal), /superseded/);
  });
});
