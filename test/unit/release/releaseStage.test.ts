import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nodeFileSystem } from '../../../src/core/fs';
import { runPipeline } from '../../../src/core/pipeline/pipeline';
import { releaseStage } from '../../../src/core/pipeline/releaseStage';
import { validateStage } from '../../../src/core/pipeline/validateStage';
import { LayoutRegistry } from '../../../src/core/registry/layout/layoutRegistry';
import { artifactMediaTypes } from '../../../src/core/release/artifact';
import { readBlob, readManifest } from '../../../src/core/release/statementStore';
import { replay } from '../../../src/core/replay/replay';
import { passingRuns, releaseWorkspace } from './harness';

describe('pipeline stage release (local)', function () {
  this.timeout(60_000);
  const saved = process.env['AIOS_CONFIG_DIR'];
  before(() => (process.env['AIOS_CONFIG_DIR'] = mkdtempSync(join(tmpdir(), 'aios-config-'))));
  after(() => (saved === undefined ? delete process.env['AIOS_CONFIG_DIR'] : (process.env['AIOS_CONFIG_DIR'] = saved)));

  it('releases to the embedded registry when the gates pass (creating the default key, said so), then reports unchanged', async () => {
    const ws = await releaseWorkspace();
    const runs = await passingRuns(ws.file);
    const pipeline = { loader: validateStage(), stages: [releaseStage({ runs: async () => runs })] };
    const [first] = await runPipeline([ws.file], pipeline, nodeFileSystem);
    assert.equal(first?.stages[1]?.status, 'passed', first?.stages[1]?.detail);
    assert.match(first?.stages[1]?.detail ?? '', /^released local:aios\/cabin-occupancy:1\.1\.0 .*created the signing key/);
    assert.deepEqual((await new LayoutRegistry(join(ws.dir, '.aios', 'registry')).listTags('aios/cabin-occupancy')).sort(), ['1.1.0', 'dev']);
    const [second] = await runPipeline([ws.file], pipeline, nodeFileSystem);
    assert.match(second?.stages[1]?.detail ?? '', /already released with the same content/);
  });

  it('replays dataLoop.data against the triggers, shows it in the report and carries it in the release (signed layer)', async () => {
    const ws = await releaseWorkspace();
    const runs = await passingRuns(ws.file);
    const [run] = await runPipeline([ws.file], { loader: validateStage(), stages: [releaseStage({ runs: async () => runs })] }, nodeFileSystem);
    assert.equal(run?.stages[1]?.status, 'passed', run?.stages[1]?.detail);
    const direct = await replay({ useCaseFile: ws.file, data: join(ws.dir, 'data', 'replay') });
    assert.equal(direct.samples, 240);
    assert.ok(direct.triggers[0]!.fired > 0, 'the sample recording fires its trigger');
    const shown = run?.report.replay;
    assert.ok(shown, 'the stage gives the report its replay section');
    assert.equal(shown.samples, direct.samples);
    assert.deepEqual(shown.triggers, direct.triggers.map((t) => ({ when: t.when, fired: t.fired, perHour: t.perHour, capturesPerDay: t.capturesPerDay, maxPerDay: t.maxPerDay, uplinkBytesPerDay: t.uplinkBytesPerDay })));
    assert.equal(shown.capturesPerDay, direct.capturesPerDay);
    assert.match(run?.stages[1]?.detail ?? '', /with the replay of 240 recorded samples/);
    const manifest = await readManifest(ws.registry, 'aios/cabin-occupancy', '1.1.0');
    const layer = manifest.layers.find((l) => l.mediaType === artifactMediaTypes.replayReport);
    assert.ok(layer, 'the artifact has a replay layer');
    assert.equal(layer.annotations?.['org.opencontainers.image.title'], 'reports/replay.json');
    assert.equal(layer.annotations?.['aios.replay.capturesPerDay'], direct.capturesPerDay.toFixed(2));
    assert.equal(layer.annotations?.['aios.replay.withinMaxPerDay'], String(direct.withinMaxPerDay));
    const packed = JSON.parse(Buffer.from(await readBlob(ws.registry, 'aios/cabin-occupancy', layer)).toString('utf8')) as typeof direct;
    // No machine path in the release: the data folder is relative to the use case.
    assert.equal(packed.data, 'data/replay');
    assert.deepEqual({ ...packed, data: direct.data }, direct);
  });

  it('fails without releasing when dataLoop.data cannot be replayed', async () => {
    const ws = await releaseWorkspace();
    const runs = await passingRuns(ws.file);
    const loaded = (await validateStage().load(ws.file, { fs: nodeFileSystem })).loaded;
    assert.ok(loaded, 'the sample validates');
    // The recording goes away between validation and release.
    rmSync(join(ws.dir, 'data', 'replay'), { recursive: true });
    const outcome = await releaseStage({ runs: async () => runs }).run({ ...loaded, fs: nodeFileSystem, previous: [], artifacts: {} });
    assert.equal(outcome.status, 'failed');
    assert.match(outcome.detail, /^not released: the replay of dataLoop.data cannot run: .*replay/);
    assert.deepEqual(await ws.registry.listTags('aios/cabin-occupancy'), []);
  });

  it('fails when a gate fails on evidence it has (SQNR below the minimum)', async () => {
    const ws = await releaseWorkspace();
    const runs = await passingRuns(ws.file, { sqnr: 10 });
    const [run] = await runPipeline([ws.file], { loader: validateStage(), stages: [releaseStage({ runs: async () => runs })] }, nodeFileSystem);
    assert.equal(run?.stages[1]?.status, 'failed');
    assert.match(run?.stages[1]?.detail ?? '', /sqnr: 10\.0 dB < 40 dB/);
  });
});
