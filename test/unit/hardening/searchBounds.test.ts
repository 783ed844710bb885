import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { FileSystem } from '../../../src/core/fs';
import { nodeFileSystem } from '../../../src/core/fs';
import { findFiles } from '../../../src/core/workspace/findFiles';

const cli = resolve('dist/cli.js');

describe('hardening: searching folders for use cases is bounded', () => {
  let dir: string;
  before(() => (dir = mkdtempSync(join(tmpdir(), 'aios-harden-search-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses the root of the file system without listing it (the full probe run: `aios validate .` in / opened every folder on the disk)', async () => {
    const listed: string[] = [];
    const watching: FileSystem = { ...nodeFileSystem, readDirectory: (p) => (listed.push(p), nodeFileSystem.readDirectory(p)) };
    await assert.rejects(findFiles(watching, ['/'], ['.usecase.yaml']), /^Error: \/: is the root of the file system; name the folder of your use cases/);
    assert.deepEqual(listed, []);
    const r = spawnSync(process.execPath, [cli, 'validate', '.'], { cwd: '/', encoding: 'utf8', timeout: 30_000 });
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /is the root of the file system/);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  });

  it('stops after the folder limit with a reason, and finds the files of a tree within it', async () => {
    for (let i = 0; i < 30; i++) mkdirSync(join(dir, 'tree', `f${i}`, 'sub'), { recursive: true });
    writeFileSync(join(dir, 'tree', 'f7', 'sub', 'a.usecase.yaml'), 'x');
    assert.deepEqual(await findFiles(nodeFileSystem, [join(dir, 'tree')], ['.usecase.yaml'], undefined, 61), [join(dir, 'tree', 'f7', 'sub', 'a.usecase.yaml')]);
    await assert.rejects(findFiles(nodeFileSystem, [join(dir, 'tree')], ['.usecase.yaml'], undefined, 60), /holds more than 60 folders; name the folder of your use cases instead/);
  });
});
