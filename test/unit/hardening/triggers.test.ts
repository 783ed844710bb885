import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkTrigger, evaluateTrigger, parseTrigger, TriggerSyntaxError } from '../../../src/core/usecase/trigger';
import { MAX_TRIGGER_NESTING, MAX_TRIGGER_TOKENS } from '../../../src/core/usecase/trigger/parse';
import { runCliCaptured } from '../cli/runCli';

const rejects = (text: string, why: RegExp) => assert.throws(() => parseTrigger(text), (e: unknown) => e instanceof TriggerSyntaxError && why.test(e.message));

describe('hardening: trigger conditions that would overflow the call stack are refused with a reason', function () {
  this.timeout(60_000);

  it('refuses deep nesting and overlong conditions as syntax errors', () => {
    // Under the token limit, so the nesting limit is what refuses them.
    rejects(`${'('.repeat(400)}a > 0${')'.repeat(400)}`, /nests more than 64 levels/);
    rejects(`${'-'.repeat(900)}1 > 0`, /nests more than/);
    rejects(`${'not '.repeat(900)}a > 0`, /nests more than/);
    rejects(`${'max('.repeat(300)}a${')'.repeat(300)} > 0`, /nests more than/);
    rejects(`${'('.repeat(10_000)}a > 0${')'.repeat(10_000)}`, /tokens long; at most 1000/);
    rejects(`a > 0${' and a > 0'.repeat(5_000)}`, /tokens long; at most 1000/);
  });

  it('still parses, checks and evaluates conditions up to the limits', () => {
    const deep = `${'('.repeat(MAX_TRIGGER_NESTING)}a > 0${')'.repeat(MAX_TRIGGER_NESTING)}`;
    // 4 tokens per 'and a > 0', 3 for the first comparison.
    const long = `a > 0${' and a > 0'.repeat(Math.floor((MAX_TRIGGER_TOKENS - 3) / 4))}`;
    const outputs = new Map([['a', { data: new Float32Array([1]), dims: [1] }]]);
    for (const text of [deep, long]) {
      const expr = parseTrigger(text);
      assert.deepEqual(checkTrigger(expr, [{ name: 'a', shape: [1] }]), []);
      assert.equal(evaluateTrigger(expr, outputs), true);
    }
  });

  it('aios validate reports a 10,000-level trigger as an error of that line, not an internal error', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aios-harden-trigger-'));
    try {
      cpSync('samples/body', dir, { recursive: true });
      const file = join(dir, 'cabin-occupancy.usecase.yaml');
      const text = readFileSync(file, 'utf8').replace('"occupancy.child_seat > 0.5"', JSON.stringify(`${'('.repeat(10_000)}occupancy.child_seat > 0.5${')'.repeat(10_000)}`));
      writeFileSync(file, text);
      const run = await runCliCaptured(['validate', 'cabin-occupancy.usecase.yaml'], dir);
      assert.equal(run.code, 1, run.stderr);
      assert.match(run.stdout, /AIOS332 trigger '\({72}…\){47}' does not parse: the condition is 2000\d tokens long/);
      assert.ok(run.stdout.split('\n').every((line) => line.length < 400), 'the 20,000-character condition is echoed whole');
      assert.doesNotMatch(run.stdout + run.stderr, /internal error/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
