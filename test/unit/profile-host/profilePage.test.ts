import { strict as assert } from 'node:assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { profileResultSchema, type ProfileResult } from '../../../src/core/profile/result';
import { profileViewData } from '../../../src/core/profile/view/profileViewData';
import { renderProfileHtml } from '../../../src/core/profile/view/profileHtml';
import { launchChromium, pageSuite, waitInPage } from '../graphview/pageHarness';

const layer = (node: string, op: string, ms: number, flops: number, bytes: number, bound: 'compute' | 'memory' | 'overhead' = 'compute') => ({ node, op, engine: 'npu', ms, flops, bytes, bound });

/** A result as `aios profile --measure --json` gives it for a use case with two targets, a split and an ECU. */
export function sampleResult(): ProfileResult {
  const layers = Array.from({ length: 20 }, (_, i) => layer(`/backbone/stage${i}/conv`, 'Conv', 0.1 + i * 0.05, 1e6 * (i + 1), 1e4 * (i + 1)));
  return profileResultSchema.parse({
    model: '/ws/models/dms.onnx',
    useCase: '/ws/dms.usecase.yaml',
    results: [
      {
        target: 'qualcomm-sa8295p',
        precision: 'int8',
        latencyMs: 6.1,
        peakMemoryBytes: 20 * 1024 ** 2,
        weightBytes: 1e6,
        peakActivationBytes: 1e6,
        energyMj: 3,
        powerW: 0.9,
        sustainedFps: 160,
        thermalLimited: false,
        budgets: { latencyMs: 8, memoryBytes: 64 * 1024 ** 2, powerW: 1.5, fps: 30 },
        fits: { latency: true, memory: true, power: true, fps: true },
        engines: [{ engine: 'npu', kind: 'npu', busyMs: 6, utilisation: 0.98, peakOpsPerS: 2.6e13, bandwidthBytesPerS: 6.8e10 }],
        layers,
        warnings: [{ code: 'unknown-cost', message: '1 Mystery node has no cost rule: charged one op per element (a floor)', node: '/head/mystery' }],
        split: {
          cloudTarget: 'cloud-gpu',
          uplinkBitsPerS: 2e7,
          rttMs: 60,
          transferPrecision: 'int8',
          best: 2,
          cuts: [0, 1, 2, 3].map((k) => ({ vehicleNodes: k, ...(k > 0 ? { after: `/backbone/stage${k - 1}/conv` } : {}), vehicleMs: k * 2, transferBytes: 1000, transferMs: 70 - k * 10, cloudMs: 1, totalMs: 71 - k * 8 + (k === 3 ? 20 : 0) })),
        },
      },
      {
        target: 'ti-tda4vm',
        precision: 'int8',
        latencyMs: 19.5,
        peakMemoryBytes: 20 * 1024 ** 2,
        weightBytes: 1e6,
        peakActivationBytes: 1e6,
        energyMj: 10,
        powerW: 1.2,
        sustainedFps: 51,
        thermalLimited: false,
        budgets: { latencyMs: 15 },
        fits: { latency: false, memory: null, power: null },
        engines: [{ engine: 'c7x', kind: 'dsp', busyMs: 19, utilisation: 0.97, peakOpsPerS: 8e12, bandwidthBytesPerS: 1.7e10 }],
        layers: layers.map((l) => ({ ...l, engine: 'c7x', ms: l.ms * 3 })),
        warnings: [],
      },
    ],
    measured: { p50Ms: 2, p90Ms: 2.4, p99Ms: 3.1, runs: 50, rankCorrelation: 0.87, estimateRatio: 1.1, comparedLayers: 18 },
    ecu: {
      ecu: 'cockpit-domain-controller',
      target: 'qualcomm-sa8295p',
      useCases: [{ file: '/ws/dms.usecase.yaml', name: 'driver-monitoring', fps: 30, latencyMs: 6.1, peakMemoryBytes: 2e7 }],
      engines: [{ engine: 'npu', kind: 'npu', utilisation: 1.25 }],
      memoryBytes: 2e7,
      memoryCapacityBytes: 1.6e10,
      verdict: 'overloaded',
      overloadPercent: 25,
    },
  });
}

describe('profile page (Chromium)', function () {
  this.timeout(60_000);
  const suite = pageSuite();
  const app = () => readFileSync(resolve('dist/webviews/profile.js'), 'utf8');
  const closeAfter: Array<{ close(): Promise<void> }> = [];
  after(async () => {
    for (const b of closeAfter) await b.close();
  });

  function write(name: string, result: ProfileResult): string {
    const path = join(suite.files.dir, `${name}.html`);
    writeFileSync(path, renderProfileHtml(profileViewData(result, 'dms.onnx'), app()));
    return path;
  }

  it('shows each target against its budgets, the measurement, the ECU load, the slowest layers, the roofline and the split curve', async () => {
    const { page, requests } = await suite.open(write('profile', sampleResult()));
    const bars = await page.evaluate<string[][]>(`[...document.querySelectorAll('.target')].map((t) => [t.dataset.target, ...[...t.querySelectorAll('.bar-value')].map((v) => v.textContent)])`);
    assert.deepEqual(bars, [
      ['qualcomm-sa8295p', '6.1 ms ✓ of 8.0 ms', '20.0 MiB ✓ of 64.0 MiB', '900 mW ✓ of 1.50 W'],
      ['ti-tda4vm', '19.5 ms ✗ of 15.0 ms', '20.0 MiB', '1.20 W'],
    ]);
    assert.equal(await page.evaluate(`document.querySelectorAll('.target[data-target="ti-tda4vm"] .bar-fill.over').length`), 1, 'the latency over budget is drawn as such');
    assert.match(await page.evaluate<string>(`document.querySelector('.measured').textContent`), /p50 2\.0 ms, p90 2\.4 ms, p99 3\.1 ms over 50 runs · host-cpu estimate 110% of measured p50 · per-layer rank correlation 0\.87 over 18 layers/);
    assert.match(await page.evaluate<string>(`document.querySelector('.ecu h2').textContent`), /overloaded by 25%/);
    const rows = await page.evaluate<string[]>(`[...document.querySelectorAll('table.layers tbody tr')].map((r) => r.dataset.node)`);
    assert.equal(rows.length, 15, 'the top 15 of 20 layers');
    assert.equal(rows[0], '/backbone/stage19/conv', 'slowest first');
    assert.equal(await page.evaluate(`document.querySelectorAll('canvas[data-chart="roofline"]').length`), 1);
    assert.equal(await page.evaluate(`document.querySelectorAll('canvas[data-chart="split"]').length`), 1);
    assert.match(await page.evaluate<string>(`document.querySelector('.warnings').textContent`), /no cost rule/);
    assert.deepEqual(requests, [], 'the page loads nothing');
  });

  it('switches layers and charts to another target', async () => {
    const { page } = await suite.open(write('switch', sampleResult()));
    await page.evaluate(`(() => { const s = document.querySelector('vscode-single-select.target-select'); s.value = 'ti-tda4vm'; s.dispatchEvent(new Event('change')); })()`);
    await waitInPage(page, `document.querySelector('.detail').dataset.target === 'ti-tda4vm'`, 10_000);
    assert.match(await page.evaluate<string>(`document.querySelector('.detail h2').textContent`), /on ti-tda4vm/);
    assert.equal(await page.evaluate(`document.querySelectorAll('canvas[data-chart="split"]').length`), 0, 'no split for this target');
  });

  it('in VS Code: takes the profile from a validated message and asks the host to reveal a clicked row', async () => {
    const path = join(suite.files.dir, 'vscode.html');
    writeFileSync(path, renderProfileHtml({ title: 'unused', results: [] }, app()).replace('id="aios-profile-data"', 'id="unused-data"'));
    const { page, errors } = await openWithFakeVsCode(path);
    await page.evaluate(`window.postMessage({ type: 'profile', view: { title: 'bad', results: 'nope' } }, '*')`);
    await waitInPage(page, `window.__posted.some((m) => m.type === 'error')`, 10_000);
    const view = profileViewData(sampleResult(), 'dms.onnx');
    await page.evaluate(`window.postMessage(${JSON.stringify({ type: 'profile', view })}, '*')`);
    await waitInPage(page, `document.body.dataset.ready === 'true' && document.querySelector('h1').textContent === 'dms.onnx'`, 10_000);
    await page.click('table.layers tbody tr:nth-child(2)');
    const posted = await page.evaluate<Array<{ type: string; node?: string; message?: string }>>('window.__posted');
    assert.equal(posted[0]?.type, 'ready');
    assert.match(posted.find((m) => m.type === 'error')?.message ?? '', /malformed message: view\.results/);
    assert.deepEqual(posted.at(-1), { type: 'revealNode', node: '/backbone/stage18/conv' });
    assert.deepEqual(errors, []);
  });

  async function openWithFakeVsCode(path: string) {
    const browser = await launchChromium();
    closeAfter.push(browser);
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.addInitScript(`window.__posted = []; window.acquireVsCodeApi = () => ({ postMessage: (m) => window.__posted.push(m), getState: () => undefined, setState: () => undefined });`);
    await page.goto(`file://${path}`);
    await waitInPage(page, `window.__posted.length > 0`, 10_000);
    return { page, errors };
  }
});
