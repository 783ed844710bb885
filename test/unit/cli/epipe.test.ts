import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';

describe('aios CLI as a pipe writer', () => {
  it('stops quietly when the reader closes the pipe early (aios … | head)', async () => {
    const child = spawn(process.execPath, ['dist/cli.js', 'targets', '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    // Close our end before anything is written: every write the CLI makes then fails with
    // EPIPE, the way writes after `head -1` has exited do.
    child.stdout.destroy();
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    assert.doesNotMatch(stderr, /EPIPE|Unhandled/);
    assert.equal(code, 0);
  });
});
