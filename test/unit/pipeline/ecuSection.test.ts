import { strict as assert } from 'node:assert';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nodeFileSystem } from '../../../src/core/fs';
import { runPipeline } from '../../../src/core/pipeline/pipeline';
import { profileStage } from '../../../src/core/pipeline/profileStage';
import { validateStage } from '../../../src/core/pipeline/validateStage';
import { runProfile } from '../../../src/core/profile/profileRun';
import { hostInfoFromOs } from '../../../src/core/soc/hostInfo';

/** The cockpit samples: driver monitoring and the voice assistant share cockpit-domain-controller. */
describe('pipeline stage profile: the ECU load of the report', function () {
  this.timeout(120_000);
  let dir: string;
  let dms: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'aios-ecu-'));
    mkdirSync(join(dir, '.aios'));
    cpSync(join(process.cwd(), 'samples', 'cockpit'), dir, { recursive: true });
    dms = join(dir, 'driver-monitoring.usecase.yaml');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const profileRun = async () => (await runPipeline([dms], { loader: validateStage(), stages: [profileStage()] }, nodeFileSystem))[0]!;

  it('shows every use case of the ECU with the utilisation aios profile --ecu computes', async () => {
    const run = await profileRun();
    assert.equal(run.stages[1]?.status, 'passed', run.stages[1]?.detail);
    const ecu = run.report.ecu;
    assert.ok(ecu, 'the profile stage gives the report its ECU section');
    assert.equal(ecu.ecu, 'cockpit-domain-controller');
    assert.equal(ecu.soc, 'qualcomm-sa8650p');
    assert.deepEqual(ecu.useCases.map((u) => u.split(' ')[0]).sort(), ['driver-monitoring', 'voice-assistant']);
    const loader = validateStage();
    const direct = await runProfile(
      { input: dir, ecu: 'cockpit-domain-controller' },
      { fs: nodeFileSystem, host: hostInfoFromOs(), loadUseCase: async (f) => {
        const { outcome, loaded } = await loader.load(f, { fs: nodeFileSystem });
        return { ...(loaded ? { loaded } : {}), problem: outcome.detail };
      } },
    );
    assert.deepEqual(ecu.engines, direct.ecu!.engines.map((e) => ({ engine: e.engine, utilisation: e.utilisation })));
    assert.equal(ecu.fits, true);
    assert.match(run.stages[1]?.detail ?? '', /ECU cockpit-domain-controller fits with 2 use cases \(npu \d/);
  });

  it('fails the stage when the use cases together overload the ECU, saying what to change', async () => {
    // Each fits its own budgets; at 1000 inferences a second each, the two do not fit the NPU together.
    writeFileSync(dms, readFileSync(dms, 'utf8').replace('fps: 30}', 'fps: 1000}'));
    const voice = join(dir, 'voice-assistant.usecase.yaml');
    const fast = readFileSync(voice, 'utf8').replace('power: 4W}', 'power: 4W, fps: 1000}');
    writeFileSync(voice, fast);
    // Two more assistants on the same ECU (another name each: names are unique in a workspace).
    for (const n of ['b', 'c']) writeFileSync(join(dir, `voice-${n}.usecase.yaml`), fast.replace('name: voice-assistant', `name: voice-assistant-${n}`));
    const run = await profileRun();
    assert.equal(run.stages[1]?.status, 'failed', run.stages[1]?.detail);
    assert.match(run.stages[1]?.detail ?? '', /ECU cockpit-domain-controller overloaded by \d+% with 4 use cases .*lower an fps budget/);
    assert.equal(run.report.ecu?.fits, false);
    assert.match(run.report.ecu?.verdict ?? '', /^overloaded by \d+%$/);
  });
});
