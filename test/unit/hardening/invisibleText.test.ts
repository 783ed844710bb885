import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeModelFile } from '../../../src/core/onnx/write';
import { terminalText } from '../../../src/core/text/terminalText';
import { runCliCaptured } from '../cli/runCli';
import { modelNamed } from './hostileModels';

/** An OSC 8 hyperlink, a C1 CSI, a bidi override, and the invisible characters that spoof or smuggle text. */
const spoof = 'rel\u200bu\u00ad\u2060\ufeff\u200d\u{E0069}\u{E0067}\u{E006E}\u{E006F}\u{E0072}\u{E0065}' + '\x1b]8;;https://evil.example\x1b\\link\x1b]8;;\x1b\\' + '\u009b2J\u202eevil';
/** What must not reach a terminal raw: controls but newline and tab, bidi, and the invisible characters. */
const unsafe = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u00ad\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u2069\ufeff\ufff9-\ufffb]|\udb40[\udc00-\udc7f]/u;

describe('hardening: invisible and spoofing characters in names reach the terminal escaped', function () {
  this.timeout(60_000);
  let dir: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'aios-harden-invisible-'));
    await writeModelFile(modelNamed(spoof), join(dir, 'spoof.onnx'));
    await writeModelFile(modelNamed('plain'), join(dir, 'plain.onnx'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('terminalText shows zero-width, soft hyphen, BOM and tag characters as escapes', () => {
    assert.equal(terminalText('a\u200bb\u00adc\ufeffd\u{E0041}e'), 'a\\u200bb\\xadc\\ufeffd\\u{e0041}e');
    assert.equal(terminalText('plain ünïcödé 😀'), 'plain ünïcödé 😀');
  });

  it('inspect, diff and validate print none of them raw; --json keeps the same values', async () => {
    writeFileSync(join(dir, `x${spoof.replace(/[\x1b\u009b/]/g, '')}.usecase.yaml`), `apiVersion: aios/v1\nkind: UseCase\nname: "${spoof.replace(/[\x1b\u009b\\]/g, '')}"\n`);
    for (const argv of [['inspect', 'spoof.onnx', '--shapes'], ['inspect', 'spoof.onnx', '--json'], ['diff', 'plain.onnx', 'spoof.onnx'], ['diff', 'plain.onnx', 'spoof.onnx', '--json'], ['validate', '.']]) {
      const run = await runCliCaptured(argv, dir);
      assert.ok(run.code === 0 || run.code === 1, `${argv.join(' ')}: ${run.stderr}`);
      assert.doesNotMatch(run.stdout + run.stderr, unsafe, argv.join(' '));
    }
    assert.match((await runCliCaptured(['inspect', 'spoof.onnx'], dir)).stdout, /rel\\u200bu\\xad\\u2060\\ufeff\\u200d\\u\{e0069\}/);
    const json = JSON.parse((await runCliCaptured(['inspect', 'spoof.onnx', '--json'], dir)).stdout) as { producer: { name: string } };
    assert.equal(json.producer.name, spoof);
  });
});
