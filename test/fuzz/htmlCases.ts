/**
 * The HTML family: `aios graph --html` of models whose names, op types, producer, doc strings
 * and attributes carry markup and script payloads, opened in headless Chromium: no injected
 * script may run (window.__pwned stays unset), no request leaves the page, no dialog opens.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { attr, ModelBuilder } from '../../src/core/onnx/builder';
import { DataType } from '../../src/core/onnx/model';
import { writeModelBytes } from '../../src/core/onnx/write';
import { chromiumPath, launchChromium, openPage } from '../unit/graphview/pageHarness';
import { hostileStrings } from './hostileText';
import { caseSeed, Rng } from './rng';
import { countProblems, emptyTally, type FamilyTally } from './batchRunner';
import { outputProblems } from './outputChecks';

const payloads = hostileStrings.filter((s) => /<|javascript:|\$\{/.test(s));

async function payloadModel(rng: Rng): Promise<Uint8Array> {
  const p = () => rng.pick(payloads) + (rng.chance(0.5) ? rng.pick(hostileStrings) : '');
  const b = new ModelBuilder({ name: p(), seed: rng.int(100), producerName: p(), docString: p() });
  b.addMetadata(p(), p());
  let v = b.input(p(), DataType.FLOAT, [1, 4]);
  for (let i = 0; i < 3 + rng.int(10); i++) v = b.node(rng.chance(0.5) ? p() : 'Relu', [v], { name: `${p()}${i}`, attributes: { [p()]: attr.str(p()) } })[0]!;
  b.output(v, DataType.FLOAT, [1, 4], p());
  return writeModelBytes(b.buildModel());
}

export async function runHtmlFamily(seed: number, cases: number, root: string, log: (l: string) => void): Promise<FamilyTally & { skipped?: string }> {
  const tally = emptyTally('html');
  if (!existsSync(chromiumPath)) return { ...tally, skipped: `${chromiumPath} is not installed` };
  const browser = await launchChromium();
  try {
    for (let i = 0; i < cases; i++) {
      const rng = new Rng(caseSeed(seed, 'html', i));
      const dir = join(root, `html-${i}`);
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'm.onnx'), await payloadModel(rng));
      const started = performance.now();
      const r = spawnSync(process.execPath, [resolve('dist/cli.js'), 'graph', 'm.onnx', '--html', 'page.html'], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
      const problems = r.signal ? [] : outputProblems(r.status, r.stdout, r.stderr);
      if (r.status === 0) {
        const opened = await openPage(browser, join(dir, 'page.html'));
        const pwned = await opened.page.evaluate('window.__pwned');
        if (pwned !== undefined) problems.push('injected script ran');
        // blob: URLs are the page's own layout worker, made from its inline script: no request leaves the page.
        const requests = opened.requests.filter((u) => !u.startsWith('blob:') && !u.startsWith('data:'));
        if (requests.length > 0) problems.push(`requests: ${requests.slice(0, 3).join(' ')}`);
        if (opened.dialogs.length > 0) problems.push(`dialogs: ${opened.dialogs.join(' ')}`);
        await opened.page.close();
      } else if (!r.signal) problems.push(`graph exited ${r.status}: ${r.stderr.slice(0, 200)}`);
      tally.cases++;
      countProblems(tally, { family: 'html', index: i, how: 'markup payloads in names', command: 'graph m.onnx --html page.html + Chromium', exitCode: r.status, ms: performance.now() - started, cpuMs: 0 /* the child's CPU time is not measured here; a page that never comes is killed at 60 s */, problems });
      if (r.signal) {
        tally.hangs++;
        tally.failures.push(`html#${i}: aios graph gave no answer within 60 s (killed)`);
      }
      rmSync(dir, { recursive: true, force: true });
    }
    log(`  html: ${cases}/${cases}`);
  } finally {
    await browser.close();
  }
  return tally;
}
