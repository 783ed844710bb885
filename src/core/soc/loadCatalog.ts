import type { FileSystem } from '../fs';
import type { Diagnostic } from '../diagnostics/types';
import { join } from 'node:path';
import { InputError } from '../inputError';
import { builtinCatalogEntries, mergeCatalog, workspaceTargetFiles, workspaceTargetsFolder, type Catalog, type HostInfo } from './catalog';
import type { SocTarget } from './schema';
import { validateSoc } from './validateSoc';
import { makeDiagnostic } from '../diagnostics/yamlDocument';
import { LineIndex } from '../diagnostics/lineIndex';

export interface LoadedCatalog {
  readonly catalog: Catalog;
  /** Every workspace SoC file with its diagnostics; files with errors add no target. */
  readonly files: ReadonlyArray<{ readonly file: string; readonly diagnostics: readonly Diagnostic[]; /** The id the file gives, valid or not. */ readonly id?: string }>;
}

/** Built-in targets plus `.aios/targets/*.soc.yaml` of the workspace (which add or override). */
export async function loadCatalog(fs: FileSystem, workspaceRoot: string, host: HostInfo, signal?: AbortSignal): Promise<LoadedCatalog> {
  const builtin = builtinCatalogEntries(host);
  const builtinIds = builtin.map((e) => e.target.id);
  const files: Array<{ file: string; diagnostics: readonly Diagnostic[]; id?: string }> = [];
  const workspace: Array<{ target: SocTarget; file: string }> = [];
  let targetFiles: string[] = [];
  try {
    targetFiles = await workspaceTargetFiles(fs, workspaceRoot);
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    files.push({ file: join(workspaceRoot, workspaceTargetsFolder), diagnostics: [makeDiagnostic('AIOS100', e.message, new LineIndex('').range(0, 0))] });
  }
  for (const file of targetFiles) {
    signal?.throwIfAborted();
    let text: string;
    try {
      text = new TextDecoder().decode(await fs.readFile(file, signal));
    } catch (e) {
      signal?.throwIfAborted();
      files.push({ file, diagnostics: [makeDiagnostic('AIOS100', `cannot read the file: ${e instanceof Error ? e.message : String(e)}`, new LineIndex('').range(0, 0))] });
      continue;
    }
    const check = validateSoc(text, { filePath: file, builtinIds, otherTargets: workspace.map((w) => ({ id: w.target.id, file: w.file })) });
    const value = check.parsed.value;
    const id = typeof value === 'object' && value !== null && typeof (value as Record<string, unknown>)['id'] === 'string' ? ((value as Record<string, unknown>)['id'] as string) : undefined;
    files.push({ file, diagnostics: check.diagnostics, ...(id !== undefined ? { id } : {}) });
    if (check.target && !check.diagnostics.some((d) => d.severity === 'error')) workspace.push({ target: check.target, file });
  }
  return { catalog: mergeCatalog(builtin, workspace), files };
}
