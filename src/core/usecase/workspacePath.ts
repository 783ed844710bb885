import { dirname, resolve } from 'node:path';
import { isInside } from '../files/pathInside';

export type RealPath = (path: string) => Promise<string>;

export type PathVerdict =
  | { readonly ok: true; readonly path: string }
  | { readonly ok: false; readonly path: string; readonly reason: string };

export { isInside };

/**
 * Resolves `reference` (written in the file at `fromFile`) and refuses it when it leaves the
 * workspace, lexically or, when `realPath` is given, through a symbolic link. A path that does
 * not exist yet passes the symlink check: nothing can be read through it.
 */
export async function resolveInWorkspace(
  workspaceRoot: string,
  fromFile: string,
  reference: string,
  realPath: RealPath | undefined,
): Promise<PathVerdict> {
  const path = resolve(dirname(fromFile), reference);
  const root = resolve(workspaceRoot);
  if (!isInside(root, path)) return { ok: false, path, reason: `'${reference}' leaves the workspace (${root})` };
  if (realPath) {
    const realRoot = await realPath(root).catch(() => root);
    const real = await realPath(path).catch(() => undefined);
    if (real !== undefined && !isInside(realRoot, real)) {
      return { ok: false, path, reason: `'${reference}' is a symbolic link (or passes through one) to ${real}, outside the workspace` };
    }
  }
  return { ok: true, path };
}
