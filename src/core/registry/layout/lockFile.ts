import { promises as fsp } from 'node:fs';
import { hostname } from 'node:os';

/**
 * A lock held by creating `path` exclusively (O_EXCL works across processes on a local disk).
 * The file names its owner (`host pid`); a lock whose owner process on this host is gone is
 * stale and taken over, so a crashed writer never blocks the registry forever.
 */
export async function withLockFile<T>(path: string, work: () => Promise<T>, options: { signal?: AbortSignal; timeoutMs?: number } = {}): Promise<T> {
  const owner = `${hostname()} ${process.pid}`;
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  let delay = 2;
  for (;;) {
    options.signal?.throwIfAborted();
    try {
      await fsp.writeFile(path, owner, { flag: 'wx' });
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    if (await staleLock(path)) {
      await takeOver(path);
      continue;
    }
    if (Date.now() > deadline) {
      const holder = await fsp.readFile(path, 'utf8').catch(() => '?');
      throw new Error(`the registry is locked by another writer (${path}, held by ${holder}); retry, or delete the lock file if that process is gone`);
    }
    await new Promise<void>((resolve) => setTimeout(resolve, delay));
    delay = Math.min(delay * 2, 50);
  }
  try {
    return await work();
  } finally {
    await fsp.rm(path, { force: true });
  }
}

/**
 * Removes a stale lock by renaming it aside first, so that of two waiters that both saw it
 * stale only one removes it; if what was renamed turns out to be a fresh lock (taken between
 * the check and the rename), it is linked back (link fails rather than replace a newer one).
 */
async function takeOver(path: string): Promise<void> {
  const aside = `${path}.stale-${process.pid}-${Date.now()}`;
  try {
    await fsp.rename(path, aside);
  } catch {
    return;
  }
  if (!(await staleLock(aside))) await fsp.link(aside, path).catch(() => undefined);
  await fsp.rm(aside, { force: true });
}

async function staleLock(path: string): Promise<boolean> {
  let text: string;
  try {
    text = await fsp.readFile(path, 'utf8');
  } catch {
    return false;
  }
  const [host, pid] = text.split(' ');
  if (host !== hostname() || pid === undefined || !/^\d+$/.test(pid)) return false;
  try {
    process.kill(Number(pid), 0);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
