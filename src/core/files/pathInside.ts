import { isAbsolute, relative, sep } from 'node:path';

/** Whether `path` is `root` or below it, judged from the text of both (resolve them first). */
export function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}
