import { strict as assert } from 'node:assert';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nodeFileSystem } from '../../../src/core/fs';
import { runPipeline } from '../../../src/core/pipeline/pipeline';
import { releaseStage } from '../../../src/core/pipeline/releaseStage';
import { validateStage } from '../../../src/core/pipeline/validateStage';
import { LayoutRegistry } from '../../../src/core/registry/layout/layoutRegistry';
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

  it('fails when a gate fails on evidence it has (SQNR below the minimum)', async () => {
    const ws = await releaseWorkspace();
    const runs = await passingRuns(ws.file, { sqnr: 10 });
    const [run] = await runPipeline([ws.file], { loader: validateStage(), stages: [releaseStage({ runs: async () => runs })] }, nodeFileSystem);
    assert.equal(run?.stages[1]?.status, 'failed');
    assert.match(run?.stages[1]?.detail ?? '', /sqnr: 10\.0 dB < 40 dB/);
  });
});
