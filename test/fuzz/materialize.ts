import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { CaseFiles } from './caseTypes';

/** Writes a case's files into a fresh `folder`. */
export function materialize(folder: string, files: CaseFiles): void {
  rmSync(folder, { recursive: true, force: true });
  mkdirSync(folder, { recursive: true });
  for (const f of files) {
    const path = join(folder, f.path);
    mkdirSync(dirname(path), { recursive: true });
    rmSync(path, { force: true });
    if ('bytes' in f) writeFileSync(path, f.bytes);
    else if ('symlink' in f) symlinkSync(f.symlink, path);
    else if ('fifo' in f) execFileSync('mkfifo', [path]);
    else {
      writeFileSync(path, '');
      truncateSync(path, f.sparse);
    }
  }
}

/** Files outside every case folder that a hostile case may try to reach (they must never be opened). */
export function writeDecoys(root: string): void {
  mkdirSync(join(root, 'decoy'), { recursive: true });
  for (const name of ['secret.onnx', 'secret.bin', 'secret.usecase.yaml']) writeFileSync(join(root, 'decoy', name), 'decoy: never to be read\n');
}
