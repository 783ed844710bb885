import { strict as assert } from 'node:assert';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { renderRunReport, type RunReport } from '../../../src/core/pipeline/htmlReport';
import { launchChromium, openPage, PageFiles } from '../graphview/pageHarness';
import { runCliCaptured } from '../cli/runCli';

const hostile = '<img src=x onerror="document.title=\'pwned\'">';

function report(): RunReport {
  const stages = (status: 'passed' | 'failed') =>
    (['validate', 'inspect', 'quantize', 'profile', 'release'] as const).map((name) => ({ name, status: name === 'profile' ? status : ('passed' as const), detail: `${name} detail ${hostile}` }));
  return {
    generatedAt: '2026-12-07T00:00:00.000Z',
    useCases: [
      {
        file: 'cockpit/dms.usecase.yaml',
        name: 'driver-monitoring',
        domain: 'cockpit',
        status: 'passed',
        stages: stages('passed'),
        graphPage: 'graphs/dms.html',
        quantize: { precision: 'int8', outputSqnrDb: 34.2, minSqnrDb: 30, synthetic: false, layers: [{ name: '/a/Conv', sqnrDb: 41 }, { name: hostile, sqnrDb: 28 }], sizeBefore: 4_000_000, sizeAfter: 1_000_000 },
        profile: [
          { target: 'qualcomm-sa8295p', latencyMs: 6.1, latencyBudgetMs: 8, peakMemoryBytes: 12_000_000, memoryBudgetBytes: 64 * 2 ** 20, powerW: 1.2, powerBudgetW: 1.5, fits: true },
          { target: 'ti-tda4vm', latencyMs: 17, latencyBudgetMs: 15, peakMemoryBytes: 12_000_000, powerW: 2, fits: false },
        ],
        ecu: { ecu: 'cockpit-domain-controller', soc: 'qualcomm-sa8295p', verdict: 'fits (62% of npu)', fits: true, engines: [{ engine: 'npu', utilisation: 0.62 }, { engine: 'cpu', utilisation: 0.1 }], useCases: ['driver-monitoring', 'voice-assistant'] },
        release: { reference: 'local:aios/driver-monitoring:1.3.0', digest: 'sha256:' + 'a'.repeat(64), version: '1.3.0', channel: 'validation' },
        replay: { samples: 600, rate: 2, hoursPerDay: 1.2, triggers: [{ when: 'gaze.confidence < 0.4', fired: 3, perHour: 18, capturesPerDay: 21.6, maxPerDay: 3, uplinkBytesPerDay: 2_000_000 }], capturesPerDay: 3, uplinkBytesPerDay: 2_000_000, withinMaxPerDay: false },
      },
      {
        file: 'adas/front.usecase.yaml',
        name: 'front-camera',
        domain: 'adas',
        status: 'failed',
        stages: stages('failed'),
        split: {
          cloudTarget: 'cloud-gpu',
          best: 1,
          cuts: [
            { label: 'all cloud', vehicleMs: 0, transferMs: 80, cloudMs: 2, totalMs: 82 },
            { label: '/backbone/stage2', vehicleMs: 9, transferMs: 30, cloudMs: 1, totalMs: 40 },
            { label: 'all vehicle', vehicleMs: 55, transferMs: 0, cloudMs: 0, totalMs: 55 },
          ],
        },
      },
    ],
  };
}

describe('aios run HTML report in Chromium', function () {
  this.timeout(60_000);
  let browser: Browser | undefined;
  const files = new PageFiles();
  before(async () => {
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    files.dispose();
  });

  it('draws every chart from the embedded data, with no request, no script from names, and the figures in tables', async () => {
    const script = readFileSync(resolve('dist/webviews/report.js'), 'utf8');
    const path = join(files.dir, 'report.html');
    writeFileSync(path, renderRunReport(report(), script));
    const o = await openPage(browser!, path);
    assert.deepEqual(o.errors, []);
    assert.deepEqual(o.requests, [], 'a self-contained page makes no request');
    assert.deepEqual(o.dialogs, []);
    // sqnr, profile, ecu for the first use case; split for the second.
    assert.equal(await o.page.evaluate('document.body.dataset.charts'), '4');
    assert.equal(await o.page.title(), 'AIOS pipeline report', 'a name in the data did not run as markup');
    const text = (await o.page.textContent('body')) ?? '';
    for (const figure of ['34.2 dB', 'gate ≥ 30 dB', 'qualcomm-sa8295p', 'local:aios/driver-monitoring:1.3.0', 'best cut: /backbone/stage2, 40.0 ms', 'gaze.confidence < 0.4', 'cockpit-domain-controller']) {
      assert.ok(text.includes(figure), `the report shows ${figure}`);
    }
    assert.equal(await o.page.locator('img').count(), 0, 'names are text, not markup');
    assert.equal(await o.page.getAttribute('a[href="graphs/dms.html"]', 'href'), 'graphs/dms.html');
    // The replay: per trigger its captures a day against maxPerDay (over it here), and uplink.
    assert.deepEqual(await o.page.locator('table.triggers tbody tr td').allTextContents(), ['gaze.confidence < 0.4', '3', '18.00', '21.6', '3', '✗', '1.9 MiB']);
    // The summary table: one row per use case, with its status.
    assert.deepEqual(await o.page.locator('table.summary tbody tr td:nth-child(3)').allTextContents(), ['passed', 'failed']);
    await o.page.close();
  });

  it('a real aios run report (chassis and powertrain samples) opens cleanly: every stage passed, charts, replay, ECU, graph pages', async function () {
    this.timeout(300_000);
    const dir = mkdtempSync(join(tmpdir(), 'aios-report-'));
    mkdirSync(join(dir, '.aios'));
    for (const domain of ['chassis', 'powertrain']) cpSync(resolve('samples', domain), join(dir, domain), { recursive: true });
    process.env['AIOS_CONFIG_DIR'] ??= mkdtempSync(join(tmpdir(), 'aios-config-'));
    try {
      const run = await runCliCaptured(['run', '.', '--json'], dir);
      assert.equal(run.code, 0, run.stdout + run.stderr);
      const index = join(dir, 'reports', 'index.html');
      const o = await openPage(browser!, index);
      assert.deepEqual(o.errors, [], 'no console error');
      assert.deepEqual(o.requests, [], 'no network request');
      // Per use case: SQNR, profile and ECU charts.
      assert.equal(await o.page.evaluate('document.body.dataset.charts'), '6');
      assert.deepEqual(await o.page.locator('table.summary tbody tr td:nth-child(3)').allTextContents(), ['passed', 'passed']);
      const text = (await o.page.textContent('body')) ?? '';
      for (const figure of ['Closed-loop data', '96 recorded samples replayed', '180 recorded samples replayed', 'ECU load', 'chassis-domain-controller on ti-tda4vm', 'local:aios/road-surface:0.9.0']) {
        assert.ok(text.includes(figure), `the report shows ${figure}`);
      }
      // AIOS_REPORT_SCREEN=DIR keeps a screenshot of the report's first screen (README: docs/screens).
      const screens = process.env['AIOS_REPORT_SCREEN'];
      if (screens) {
        mkdirSync(screens, { recursive: true });
        await o.page.screenshot({ path: join(screens, 'run-report.png') });
        await o.page.locator('section.usecase').first().screenshot({ path: join(screens, 'run-report-usecase.png') });
      }
      const links = await o.page.locator('a[href^="graphs/"]').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
      assert.equal(links.length, 2);
      await o.page.close();
      for (const link of links) {
        const page = join(dir, 'reports', link!);
        assert.ok(existsSync(page), `${link} was written`);
        const graph = await openPage(browser!, page);
        // Its layout worker starts from a blob: URL, made in the page: not a network request.
        const network = graph.requests.filter((u) => !u.startsWith('blob:'));
        assert.deepEqual([graph.errors, network], [[], []], `${link} opens cleanly`);
        await graph.page.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps its tables when the chart script is missing, and refuses malformed data without drawing', async () => {
    const bare = join(files.dir, 'bare.html');
    writeFileSync(bare, renderRunReport(report()));
    assert.ok(!readFileSync(bare, 'utf8').includes('<script'), 'no script at all');
    const malformed = report() as { useCases: Array<{ status: string }> };
    malformed.useCases[0]!.status = 'exploded';
    const path = join(files.dir, 'malformed.html');
    writeFileSync(path, renderRunReport(malformed as RunReport, readFileSync(resolve('dist/webviews/report.js'), 'utf8')));
    const o = await openPage(browser!, path);
    assert.equal(await o.page.evaluate('document.body.dataset.charts ?? "none"'), 'none');
    assert.match((await o.page.textContent('body > p.bad')) ?? '', /report data is malformed/);
    await o.page.close();
  });
});
