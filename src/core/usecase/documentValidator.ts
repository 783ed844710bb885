import { realpath } from 'node:fs/promises';
import { isAbsolute } from 'node:path';
import { compareDiagnostics } from '../diagnostics/types';
import { nodeFileSystem, type FileSystem } from '../fs';
import { readModelFile } from '../onnx/read';
import { builtinCatalog, type Catalog, type HostInfo } from '../soc/catalog';
import { loadCatalog } from '../soc/loadCatalog';
import { socSchema } from '../soc/schema';
import { validateSoc } from '../soc/validateSoc';
import { outline } from './editor/outline';
import { ModelMetadataCache } from './modelMetadata';
import { useCaseSchema } from './schema';
import { semanticChecksAsync, useCaseSections } from './semantic';
import type { EarlyOutcome, ValidationJob, ValidationOutcome } from './validationProtocol';
import { checkUseCase } from './validateUseCase';
import { resolveInWorkspace, type RealPath } from './workspacePath';

/** How long the file checks may take before the syntax and schema results go out without them. */
export const earlyOutcomeMs = 150;

/**
 * Validates editor documents with everything `validateUseCase` / `validateSoc` look at, and
 * keeps what survives between keystrokes: the SoC catalog of each workspace (read again when
 * the job's catalog generation changes) and the model metadata (until a model is invalidated).
 * The validation worker thread runs one of these; it is plain Node, so tests can run one too.
 */
export class DocumentValidator {
  private readonly models = new ModelMetadataCache((path, signal) => readModelFile(path, signal ? { signal } : {}));
  private readonly catalogs = new Map<string, { readonly generation: number; readonly catalog: Promise<Catalog> }>();

  constructor(
    private readonly host: HostInfo,
    private readonly fs: FileSystem = nodeFileSystem,
    private readonly realPath: RealPath = (path) => realpath(path),
  ) {}

  /** A model file changed on disk: its metadata is read again next time. */
  invalidateModel(path: string): void {
    this.models.invalidate(path);
  }

  /**
   * All layers of one document. Rejects only with the abort reason when `signal` fires;
   * `onEarly` gets the fast layers when the file checks take longer than `earlyMs`.
   */
  async validate(job: ValidationJob, signal: AbortSignal, onEarly?: (early: EarlyOutcome) => void, earlyMs = earlyOutcomeMs): Promise<ValidationOutcome> {
    if (job.kind === 'soc') {
      const check = validateSoc(job.text, { filePath: job.filePath, builtinIds: job.builtinIds ?? [], otherTargets: job.otherTargets ?? [] });
      return { diagnostics: check.diagnostics, modelReference: undefined, modelPath: undefined, outline: job.outline ? outline(check.parsed.document, socSchema) : undefined };
    }
    const catalog = await this.catalog(job.workspaceRoot, job.catalogGeneration);
    signal.throwIfAborted();
    const context = {
      fs: this.fs,
      workspaceRoot: job.workspaceRoot,
      filePath: job.filePath,
      catalog,
      models: this.models,
      realPath: this.realPath,
      otherUseCases: job.otherUseCases ?? [],
      signal,
    };
    const check = checkUseCase(job.text, context);
    const symbols = job.outline ? outline(check.parsed.document, useCaseSchema) : undefined;
    const sections = check.parsed.usable && job.saved ? useCaseSections(check.parsed.value) : undefined;
    if (!sections) return { diagnostics: check.diagnostics, modelReference: undefined, modelPath: undefined, outline: symbols };
    const modelReference = sections.model?.path;
    const early = onEarly ? setTimeout(() => !signal.aborted && onEarly({ diagnostics: check.diagnostics, outline: symbols }), earlyMs) : undefined;
    try {
      const [more, modelPath] = await Promise.all([semanticChecksAsync(check.parsed, sections, context), this.resolveModel(job, modelReference)]);
      return { diagnostics: [...check.diagnostics, ...more].sort(compareDiagnostics), modelReference, modelPath, outline: symbols };
    } finally {
      clearTimeout(early);
    }
  }

  private async resolveModel(job: ValidationJob, reference: string | undefined): Promise<string | undefined> {
    if (reference === undefined) return undefined;
    const verdict = await resolveInWorkspace(job.workspaceRoot, job.filePath, reference, this.realPath);
    return verdict.ok ? verdict.path : undefined;
  }

  private catalog(root: string, generation: number): Promise<Catalog> {
    const cached = this.catalogs.get(root);
    if (cached && cached.generation === generation) return cached.catalog;
    // An unsaved document's "workspace" may be a bare name: only the built-in targets then.
    const catalog = isAbsolute(root)
      ? loadCatalog(this.fs, root, this.host).then(
          (loaded) => loaded.catalog,
          // An unreadable .aios/targets must not take the built-in targets down with it.
          () => builtinCatalog(this.host),
        )
      : Promise.resolve(builtinCatalog(this.host));
    this.catalogs.set(root, { generation, catalog });
    return catalog;
  }
}
