import { resolve } from 'node:path';
import type { Model } from '../../core/onnx/model';
import { OnnxFormatError, readModelFile } from '../../core/onnx/read';
import { UsageError } from '../errors';
import { FileRefusedError } from '../../core/files/regularFile';
import type { CliIo } from '../io';

/** Opens a model named on the command line; any problem becomes a one-line usage error (exit 2). */
export async function openModelArgument(io: CliIo, path: string): Promise<Model> {
  const absolute = resolve(io.cwd, path);
  const shown = path;
  try {
    return await readModelFile(absolute);
  } catch (e) {
    if (e instanceof OnnxFormatError) {
      const where = [e.offset !== undefined ? `at byte ${e.offset}` : '', e.fieldPath ? `in ${e.fieldPath}` : ''].filter(Boolean).join(' ');
      throw new UsageError(`${shown}: ${e.problem}${where ? ` ${where}` : ''}`);
    }
    if (e instanceof FileRefusedError && e.shown === absolute) throw new UsageError(`${shown}: ${e.reason}`);
    throw e;
  }
}

/** Parses `--input NAME=d0,d1,...` (dims: integers >= 0 or symbolic names). */
export function parseInputShape(spec: string): [string, Array<number | string>] {
  const at = spec.lastIndexOf('=');
  const name = at > 0 ? spec.slice(0, at) : '';
  const dims = at > 0 ? spec.slice(at + 1).trim() : '';
  if (!name) throw new UsageError(`bad --input '${spec}': expected NAME=d0,d1,... (e.g. image=1,3,224,224)`);
  if (dims === '') return [name, []];
  const parsed = dims.split(',').map((d) => d.trim());
  const out: Array<number | string> = [];
  for (const d of parsed) {
    if (/^\d+$/.test(d)) out.push(Number(d));
    else if (/^[A-Za-z_][\w.]*$/.test(d)) out.push(d);
    else throw new UsageError(`bad --input '${spec}': dim '${d}' is neither a non-negative integer nor a symbolic name`);
  }
  return [name, out];
}

/**
 * Shows `aios: <label>...` on stderr (a terminal only) when work takes over a second, and
 * clears it when the work ends, so that slow opens of big models are not silent.
 */
export async function withProgress<T>(io: CliIo, label: string, work: () => Promise<T>): Promise<T> {
  if (!io.stderr.isTTY) return work();
  let shown = false;
  const timer = setTimeout(() => {
    shown = true;
    io.stderr.write(`aios: ${label}...`);
  }, 1000);
  try {
    return await work();
  } finally {
    clearTimeout(timer);
    if (shown) io.stderr.write('\r\x1b[2K');
  }
}
