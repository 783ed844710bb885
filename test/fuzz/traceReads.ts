/**
 * File access outside a case's folder, from `strace -f -e trace=open,openat,openat2` output:
 * every successful open of a path that is neither in the case area nor in what any Node
 * program opens (the installation, system libraries, /proc, /sys, a few /dev and /etc files).
 */
import { existsSync, realpathSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';

export const straceAvailable = existsSync('/usr/bin/strace');

/** strace in front of `command`, writing its trace to `traceFile` (seccomp-bpf: only the traced calls stop the process). */
export function straceArgs(traceFile: string): string[] {
  return ['-f', '--seccomp-bpf', '-qq', '-e', 'trace=open,openat,openat2', '-e', 'signal=none', '-o', traceFile];
}

const systemPrefixes = ['/usr/', '/lib/', '/lib64/', '/proc/', '/sys/', '/etc/ld.so.cache', '/etc/localtime', '/etc/ssl/', '/etc/nsswitch.conf', '/etc/hosts', '/etc/resolv.conf', '/etc/group', '/dev/null', '/dev/urandom', '/dev/random', '/dev/pts/', '/dev/tty', '/dev/full', '/etc/os-release', '/usr/share/zoneinfo/'];

/** The tool's own per-user state (host calibration cache, config and keys): not a file a case refers to. */
export function toolStateFolders(): string[] {
  const home = homedir();
  return [join(process.env['XDG_CACHE_HOME'] || join(home, '.cache'), 'aios-workbench'), join(process.env['XDG_CONFIG_HOME'] || join(home, '.config'), 'aios')];
}

/** Paths successfully opened outside `allowed` (the case area and the installation) and the system files. */
export function readsOutside(trace: string, cwd: string, allowed: readonly string[]): string[] {
  const roots = [...allowed, ...toolStateFolders()].map((p) => (existsSync(p) ? realpathSync(p) : p)).map((p) => (p.endsWith('/') ? p : `${p}/`));
  const out = new Set<string>();
  let nss = false;
  for (const line of trace.split('\n')) {
    const m = /^(\d+)\s+open(?:at2?)?\((?:AT_FDCWD|\d+)?,?\s*"((?:[^"\\]|\\.)*)"[^)]*\)\s*=\s*(-?\d+)/.exec(line);
    if (!m) continue;
    const raw = m[2]!.replace(/\\(.)/g, '$1');
    const path = isAbsolute(raw) ? raw : resolve(cwd, raw);
    if (path === '/etc/nsswitch.conf') nss = true;
    if (Number(m[3]) < 0) continue;
    // The C library's user lookup (getpwuid: os.userInfo, os.homedir without HOME): once it has read
    // nsswitch.conf, it reads the user database, in any thread, as often as asked (it was seen 10 times
    // in one run, between other opens). A case naming /etc/passwd is refused by the workspace rule
    // before any open (test/unit/hardening), so counting these would only hide real findings in noise.
    if (path === '/etc/passwd' && nss) continue;
    const inside = [...roots, ...systemPrefixes].some((p) => path === p.replace(/\/$/, '') || path.startsWith(p));
    if (!inside) out.add(path);
  }
  return [...out];
}
