import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileRefusedError, readRegularFile } from '../../../src/core/files/regularFile';
import { nodeFileSystem } from '../../../src/core/fs';
import { findWorkspaceRoot, neverRoot, workspaceRootAbove } from '../../../src/core/workspace/root';
import { readModelFile } from '../../../src/core/onnx/read';

describe('hardening: the bounded file reader and the workspace root rule', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'aios-harden-files-'));
    execFileSync('mkfifo', [join(dir, 'pipe.onnx')]);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses a named pipe at once instead of blocking on it (model reader and file system)', async () => {
    await assert.rejects(readModelFile(join(dir, 'pipe.onnx')), (e: unknown) => e instanceof FileRefusedError && /named pipe \(FIFO\), not a regular file/.test(e.message));
    await assert.rejects(nodeFileSystem.readFile(join(dir, 'pipe.onnx')), /named pipe/);
  });

  it('refuses devices (also through a symlink) and files over the size limit', async () => {
    symlinkSync('/dev/zero', join(dir, 'zero.usecase.yaml'));
    await assert.rejects(readRegularFile(join(dir, 'zero.usecase.yaml')), /is a character device, not a regular file/);
    writeFileSync(join(dir, 'big.yaml'), Buffer.alloc(2048));
    await assert.rejects(readRegularFile(join(dir, 'big.yaml'), { maxBytes: 1024 }), /2048 bytes, more than the 1024 bytes/);
    assert.equal((await readRegularFile(join(dir, 'big.yaml'), { maxBytes: 4096 })).length, 2048);
  });

  it('refuses a file whose real path leaves the root, and names link loops and long paths plainly', async () => {
    mkdirSync(join(dir, 'ws'));
    symlinkSync('/etc/hostname', join(dir, 'ws', 'escape.txt'));
    await assert.rejects(readRegularFile(join(dir, 'ws', 'escape.txt'), { root: join(dir, 'ws') }), /outside the workspace/);
    symlinkSync('loop-b', join(dir, 'loop-a'));
    symlinkSync('loop-a', join(dir, 'loop-b'));
    await assert.rejects(readRegularFile(join(dir, 'loop-a')), /too many levels of symbolic links/);
    await assert.rejects(readRegularFile(join(dir, 'x'.repeat(5000))), /the path is too long/);
  });

  it('takes the nearest folder with .aios/ as the root, else the file\'s folder; never / or a home folder', async () => {
    const ws = join(dir, 'root-ws');
    mkdirSync(join(ws, '.aios'), { recursive: true });
    mkdirSync(join(ws, 'a', 'b'), { recursive: true });
    mkdirSync(join(ws, 'a', '.vscode'));
    writeFileSync(join(ws, 'a', 'package.json'), '{}');
    assert.equal(await findWorkspaceRoot(nodeFileSystem, join(ws, 'a', 'b', 'x.usecase.yaml')), ws);
    const lone = join(dir, 'lone', 'deep');
    mkdirSync(lone, { recursive: true });
    assert.equal(await findWorkspaceRoot(nodeFileSystem, join(lone, 'x.usecase.yaml')), lone);
    // A .aios/ in the "home folder" does not make it a root.
    const home = join(dir, 'home');
    mkdirSync(join(home, '.aios', 'targets'), { recursive: true });
    mkdirSync(join(home, 'proj'));
    assert.equal(await findWorkspaceRoot(nodeFileSystem, join(home, 'proj', 'x.usecase.yaml'), home), join(home, 'proj'));
    assert.ok(neverRoot('/') && neverRoot('/root') && neverRoot('/home/someone') && !neverRoot(ws));
    // `.aios` as a file is no marker and no error.
    const fileMarker = join(dir, 'file-marker');
    mkdirSync(fileMarker);
    writeFileSync(join(fileMarker, '.aios'), 'not a folder');
    assert.equal(await workspaceRootAbove(nodeFileSystem, fileMarker), fileMarker);
  });
});
