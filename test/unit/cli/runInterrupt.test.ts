import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { openRunStore } from '../../../src/core/tasks/runStore';

const repo = join(__dirname, '..', '..', '..', '..');
const cli = join(repo, 'dist', 'cli.js');

/** The cockpit samples plus `count` copies of driver-monitoring: `aios run` takes many seconds on 300 of them. */
function longWorkspace(count: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'aios-interrupt-'));
  cpSync(join(repo, 'samples', 'cockpit'), dir, { recursive: true });
  const text = readFileSync(join(dir, 'driver-monitoring.usecase.yaml'), 'utf8');
  for (let i = 0; i < count; i++) writeFileSync(join(dir, `dms-${i}.usecase.yaml`), text.replace('name: driver-monitoring', `name: dms-${i}`));
  return dir;
}

/** Runs `aios run . --json` in `dir`, sends `signal` once the run's record says running, and returns what happened. */
async function interruptRun(dir: string, signal: NodeJS.Signals) {
  const child = spawn(process.execPath, [cli, 'run', '.', '--json'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, AIOS_RUNS_DIR: '' } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const runId = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stderr }).on('line', (line) => {
      stderr += `${line}\n`;
      const match = /^aios: run (\S+) running/.exec(line);
      if (match) resolve(match[1]!);
    });
    void exited.then(() => reject(new Error(`aios run ended before it ran: ${stderr}`)));
  });
  const store = openRunStore(join(dir, '.aios', 'runs'));
  const sentAt = Date.now();
  child.kill(signal);
  const code = await exited;
  return { code, stdout, stderr, record: await store.read(runId), took: Date.now() - sentAt };
}

describe('aios run interrupted (dist/cli.js in its own process)', function () {
  this.timeout(60_000);

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`cancels cleanly on ${signal}: exit 130, record cancelled, no report left or half-written`, async () => {
      const dir = longWorkspace(300);
      const { code, stdout, stderr, record, took } = await interruptRun(dir, signal);
      assert.equal(code, 130, stderr);
      assert.equal(stdout, '', 'no JSON document for a cancelled run');
      assert.match(stderr, /aios: cancelled; run \S+ is recorded as cancelled and left no output/);
      assert.equal(record?.status, 'cancelled');
      assert.notEqual(record?.endedAt, null);
      assert.ok(took < 3000, `ended ${took} ms after the signal`);
      const log = readFileSync(record!.log, 'utf8');
      const jobPid = Number(/job process pid (\d+)/.exec(log)?.[1]);
      assert.throws(() => process.kill(jobPid, 0), 'the job process is gone');
      const reports = join(dir, 'reports');
      assert.equal(existsSync(join(reports, 'index.html')), false, 'no report');
      assert.deepEqual(existsSync(reports) ? readdirSync(reports) : [], [], 'no temp report either');
    });
  }

  it('writes the record and the report when not interrupted', async () => {
    const dir = longWorkspace(2);
    const child = spawn(process.execPath, [cli, 'run', '.', '--json'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, AIOS_RUNS_DIR: '' } });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    const doc = JSON.parse(stdout) as { runId: string; report: string; status: string; useCases: unknown[] };
    assert.equal(code, doc.status === 'passed' ? 0 : 1, 'exit code of the pipeline verdict (1 while stages are unavailable)');
    assert.equal(doc.report, join('reports', 'index.html'));
    assert.equal(doc.useCases.length, 4);
    const record = await openRunStore(join(dir, '.aios', 'runs')).read(doc.runId);
    assert.equal(record?.status, 'succeeded');
    assert.equal(record?.kind, 'run');
    // The report, and the graph page of each use case's model beside it.
    const pages = readdirSync(join(dir, 'reports', 'graphs')).map((f) => join(dir, 'reports', 'graphs', f));
    assert.equal(pages.length, 4, 'one graph page per use case');
    assert.deepEqual(record?.outputs.map((o) => o.path).sort(), [join(dir, 'reports', 'index.html'), ...pages].sort());
    // The use cases and the models they reference, so an editor shows the result as current only while both are unchanged.
    const useCases = ['driver-monitoring', 'voice-assistant', 'dms-0', 'dms-1'].map((n) => join(dir, `${n}.usecase.yaml`));
    const models = ['dms.onnx', 'assistant-llm.onnx'].map((m) => join(dir, 'models', m));
    assert.deepEqual(record?.inputs.map((i) => i.path).sort(), [...useCases, ...models].sort());
    const dms = record?.inputs.find((i) => i.path === models[0]);
    assert.equal(dms?.sha256, createHash('sha256').update(readFileSync(models[0]!)).digest('hex'));
    const html = readFileSync(join(dir, 'reports', 'index.html'), 'utf8');
    // A summary row per use case with its status, then its section: file, stages with their details, graph link.
    assert.equal(html.match(new RegExp(`<td class="${doc.status}"><b>${doc.status}</b></td>`, 'g'))?.length, 4);
    assert.match(html, /<code>dms-0\.usecase\.yaml<\/code> · <a href="graphs\/dms-0\.html">model graph<\/a>/);
    assert.match(html, /<tr><td>validate<\/td><td class="passed"><b>passed<\/b><\/td><td>no errors/);
  });
});
