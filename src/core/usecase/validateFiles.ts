import { dirname, relative } from 'node:path';
import type { FileSystem } from '../fs';
import type { Diagnostic } from '../diagnostics/types';
import { makeDiagnostic } from '../diagnostics/yamlDocument';
import { LineIndex } from '../diagnostics/lineIndex';
import { builtinTargetInputs, type HostInfo } from '../soc/catalog';
import { loadCatalog } from '../soc/loadCatalog';
import { validateSoc } from '../soc/validateSoc';
import { readModelFile } from '../onnx/read';
import { ModelMetadataCache } from './modelMetadata';
import { useCaseName, validateUseCase } from './validateUseCase';
import type { UseCase } from './schema';
import type { RealPath } from './workspacePath';

export interface FileDiagnostics {
  readonly file: string;
  readonly kind: 'usecase' | 'soc';
  readonly diagnostics: readonly Diagnostic[];
  /** A use-case file that passes the schema, typed with defaults applied. */
  readonly useCase?: UseCase;
}

export interface ValidateFilesOptions {
  readonly fs: FileSystem;
  /** Workspace whose `.aios/targets` extend the built-in catalog. */
  readonly catalogRoot: string;
  /** The workspace a file's references must stay in. */
  readonly workspaceFor: (file: string) => string;
  readonly host: HostInfo;
  readonly realPath?: RealPath;
  readonly models?: ModelMetadataCache;
  readonly signal?: AbortSignal;
  /** Called after each file with the count done so far. */
  readonly onProgress?: (done: number, total: number) => void;
}

const isSocFile = (file: string) => file.endsWith('.soc.yaml') || file.endsWith('.soc.yml');

/**
 * Validates a set of use-case and SoC files together, as `aios validate` and the pipeline do:
 * one catalog, one model cache, names checked for uniqueness across the set.
 */
export async function validateWorkspaceFiles(files: readonly string[], options: ValidateFilesOptions): Promise<FileDiagnostics[]> {
  const { fs, signal } = options;
  const loaded = await loadCatalog(fs, options.catalogRoot, options.host, signal);
  const catalog = loaded.catalog;
  const builtinIds = builtinTargetInputs(options.host).map((t) => t.id);
  const models = options.models ?? new ModelMetadataCache((path) => readModelFile(path));
  const texts = new Map<string, string>();
  const unreadable = new Map<string, string>();
  for (const file of files) {
    try {
      const bytes = await fs.readFile(file, signal);
      // UTF-16 decodes as UTF-8 into NULs and replacement characters: one clear reason instead of noise.
      if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) unreadable.set(file, 'it is UTF-16 encoded; save it as UTF-8');
      else texts.set(file, new TextDecoder().decode(bytes));
    } catch (e) {
      signal?.throwIfAborted();
      unreadable.set(file, e instanceof Error ? e.message : String(e));
    }
  }
  const useCaseNames = files.filter((f) => !isSocFile(f)).flatMap((file) => {
    const name = useCaseName(texts.get(file) ?? '');
    return name ? [{ name, file }] : [];
  });
  const socIds: Array<{ id: string; file: string }> = [];
  // Workspace targets (.aios/targets) shape every use case's catalog: always report them.
  const results: FileDiagnostics[] = loaded.files
    .filter((f) => !files.includes(f.file))
    .map((f) => ({ file: f.file, kind: 'soc' as const, diagnostics: f.diagnostics }));
  // SoC files first, so a use case naming a target defined outside .aios/targets can say so.
  const ordered = [...files.filter(isSocFile), ...files.filter((f) => !isSocFile(f))];
  for (const [done, file] of ordered.entries()) {
    signal?.throwIfAborted();
    options.onProgress?.(done, files.length);
    const kind = isSocFile(file) ? 'soc' : 'usecase';
    const text = texts.get(file);
    if (text === undefined) {
      const lines = new LineIndex('');
      results.push({ file, kind, diagnostics: [makeDiagnostic('AIOS100', `cannot read the file: ${unreadable.get(file) ?? 'unknown error'}`, lines.range(0, 0))] });
      continue;
    }
    if (kind === 'soc') {
      const check = validateSoc(text, { filePath: file, builtinIds, otherTargets: socIds });
      if (check.target) socIds.push({ id: check.target.id, file });
      results.push({ file, kind, diagnostics: check.diagnostics });
    } else {
      const check = await validateUseCase(text, {
        fs,
        workspaceRoot: options.workspaceFor(file),
        filePath: file,
        catalog,
        models,
        otherUseCases: useCaseNames.filter((u) => u.file !== file),
        ...(options.realPath ? { realPath: options.realPath } : {}),
        ...(signal ? { signal } : {}),
      });
      const diagnostics = check.diagnostics.map((d) => {
        const elsewhere = d.code === 'AIOS308' ? socIds.find((t) => t.id === d.data?.['socId']) : undefined;
        if (elsewhere) return { ...d, message: `${d.message}; '${elsewhere.id}' is defined in ${elsewhere.file}, but only .aios/targets/*.soc.yaml files of the workspace extend the catalog: move it there` };
        // A workspace target whose file has errors is left out of the catalog: say so, not just "unknown".
        const broken = d.code === 'AIOS308' ? loaded.files.find((f) => f.id !== undefined && f.id === d.data?.['socId']) : undefined;
        return broken ? { ...d, message: `SoC target '${broken.id}' is defined in ${relative(dirname(file), broken.file)}, but that file has errors, so the target is left out of the catalog: fix them first` } : d;
      });
      results.push({ file, kind, diagnostics, ...(check.useCase ? { useCase: check.useCase } : {}) });
    }
  }
  options.onProgress?.(files.length, files.length);
  results.sort((a, b) => files.indexOf(a.file) - files.indexOf(b.file));
  return results;
}
