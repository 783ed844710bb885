import { dirname, resolve } from 'node:path';
import { parse } from 'yaml';
import type { FileSystem } from '../fs';
import { isMapping } from '../diagnostics/rawValues';

/** A use case's `model` section as written, and the model file it points to. */
export interface ModelReference {
  /** Absolute path of `model.path`, resolved against the use case's folder. */
  readonly modelFile: string;
  /** The raw `model` mapping (its `inputs` and `outputs` unchecked). */
  readonly section: Readonly<Record<string, unknown>>;
}

/**
 * The model a use-case file references, read leniently: unreadable or malformed files give
 * undefined, since validation reports them where they are edited. For callers that only need
 * the reference (run records, the graph view's sizes), not a validated use case.
 */
export async function readModelReference(fs: FileSystem, useCaseFile: string, signal?: AbortSignal): Promise<ModelReference | undefined> {
  let doc: unknown;
  try {
    doc = parse(new TextDecoder().decode(await fs.readFile(useCaseFile, signal)), { uniqueKeys: false });
  } catch {
    signal?.throwIfAborted();
    return undefined;
  }
  const section = isMapping(doc) ? doc.model : undefined;
  if (!isMapping(section) || typeof section.path !== 'string') return undefined;
  return { modelFile: resolve(dirname(useCaseFile), section.path), section };
}
