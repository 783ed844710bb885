import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cnnClassifier } from '../../../src/core/onnx/fixtures';
import { writeModelFile } from '../../../src/core/onnx/write';
import { runCliCaptured } from '../cli/runCli';
import { diffPair } from './testModels';

describe('aios graph', () => {
  const dir = mkdtempSync(join(tmpdir(), 'aios-graph-cli-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('writes one self-contained page for a model file and reports it with --json', async () => {
    const model = join(dir, 'cnn.onnx');
    await writeModelFile(cnnClassifier({ seed: 1 }), model);
    const run = await runCliCaptured(['graph', model, '--html', join(dir, 'cnn.html'), '--json'], dir);
    assert.equal(run.code, 0, run.stderr);
    const report = JSON.parse(run.stdout) as { output: string; nodes: number; weightStatistics: number; bytes: number };
    assert.equal(report.output, join(dir, 'cnn.html'), 'an absolute --html is printed absolute');
    const relative = await runCliCaptured(['graph', model, '--html', 'cnn-relative.html'], dir);
    assert.equal(relative.code, 0, relative.stderr);
    assert.match(relative.stdout, /^Wrote cnn-relative\.html \(/, 'a relative --html is printed as given');
    assert.equal(report.nodes, cnnClassifier({ seed: 1 }).graph.nodes.length);
    assert.ok(report.weightStatistics > 0);
    const html = readFileSync(join(dir, 'cnn.html'), 'utf8');
    assert.equal(Buffer.byteLength(html), report.bytes);
    // Loads are refused by the CSP and checked in Chromium (graphPage.test); here: no element that would load.
    assert.doesNotMatch(html.replace(/<script nonce=[^>]*>[\s\S]*?<\/script>/, ''), /<script[^>]+src=|<link|<img|<iframe|\shref=/);
    assert.match(html, /Content-Security-Policy" content="default-src 'none'/);
  });

  it('writes a diff page with --base', async () => {
    const { base, other } = diffPair();
    await writeModelFile(base, join(dir, 'a.onnx'));
    await writeModelFile(other, join(dir, 'b.onnx'));
    const run = await runCliCaptured(['graph', 'b.onnx', '--base', 'a.onnx', '--html', 'diff.html', '--json'], dir);
    assert.equal(run.code, 0, run.stderr);
    const report = JSON.parse(run.stdout) as { diff: { added: number; removed: number; changed: number } };
    assert.deepEqual(report.diff, { added: 1, removed: 1, changed: report.diff.changed });
    assert.ok(report.diff.changed >= 1);
  });

  it('exits 2 with one line for a missing model, a malformed file, or a missing output folder', async () => {
    writeFileSync(join(dir, 'bad.onnx'), Buffer.from([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f]));
    for (const [args, reason] of [
      [['graph', 'missing.onnx', '--html', 'x.html'], /missing\.onnx: no such file/],
      [['graph', 'bad.onnx', '--html', 'x.html'], /bad\.onnx: /],
      [['graph', 'bad.onnx', '--html', 'no/such/folder/x.html'], /does not exist/],
      [['graph', 'bad.onnx'], /required option '--html <out>'/],
    ] as const) {
      const run = await runCliCaptured(args, dir);
      assert.equal(run.code, 2, args.join(' '));
      assert.equal(run.stderr.trimEnd().split('\n').length, 1, run.stderr);
      assert.match(run.stderr, reason);
    }
  });
});
