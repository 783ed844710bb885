import type { FileSystem } from '../fs';
import type { Catalog } from '../soc/catalog';
import type { ModelMetadataCache } from './modelMetadata';
import type { RealPath } from './workspacePath';

/** Everything validation may look at. Nothing is read except through these. */
export interface UseCaseValidationContext {
  readonly fs: FileSystem;
  /** Absolute workspace folder; referenced files must stay inside it. */
  readonly workspaceRoot: string;
  /** Absolute path of the file being validated (relative references resolve against its folder). */
  readonly filePath: string;
  readonly catalog: Catalog;
  /** Model metadata, cached by path and mtime; owned by the caller for the session. */
  readonly models: ModelMetadataCache;
  /** Resolves symbolic links (e.g. fs.promises.realpath); without it only lexical containment is checked. */
  readonly realPath?: RealPath;
  /** The other use cases of the workspace, for the unique-name check. */
  readonly otherUseCases?: ReadonlyArray<{ readonly name: string; readonly file: string }>;
  readonly signal?: AbortSignal;
}
