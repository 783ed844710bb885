import type { Diagnostic } from '../diagnostics/types';
import type { HostInfo } from '../soc/catalog';
import type { OutlineSymbol } from './editor/outline';

/** One document to validate, as the extension host sends it to the validation worker. */
export interface ValidationJob {
  readonly kind: 'usecase' | 'soc';
  readonly text: string;
  /** Absolute path of the document (references resolve against its folder). */
  readonly filePath: string;
  /** The workspace folder: references must stay inside it, its `.aios/targets` extend the catalog. */
  readonly workspaceRoot: string;
  /** False for an unsaved new document: it has no folder its references could be resolved against. */
  readonly saved: boolean;
  /** Changes whenever the workspace SoC catalog must be read again. */
  readonly catalogGeneration: number;
  /** The other use cases of the workspace, for the unique-name check. */
  readonly otherUseCases?: ReadonlyArray<{ readonly name: string; readonly file: string }>;
  /** SoC files: the built-in target ids and the targets of the other workspace SoC files. */
  readonly builtinIds?: readonly string[];
  readonly otherTargets?: ReadonlyArray<{ readonly id: string; readonly file: string }>;
  /** Whether to send the outline (document symbols) back with the diagnostics. */
  readonly outline: boolean;
}

export interface ValidationOutcome {
  /** All layers, sorted; plain data, fixes included. */
  readonly diagnostics: readonly Diagnostic[];
  /** `model.path` as written, when the file has one. */
  readonly modelReference: string | undefined;
  /** That reference resolved inside the workspace (for a file watcher); undefined when refused or absent. */
  readonly modelPath: string | undefined;
  readonly outline: readonly OutlineSymbol[] | undefined;
}

/** Sent before the outcome when the file checks are slow: the syntax, schema and catalog layers. */
export interface EarlyOutcome {
  readonly diagnostics: readonly Diagnostic[];
  readonly outline: readonly OutlineSymbol[] | undefined;
}

export type ValidationRequest =
  | { readonly op: 'validate'; readonly id: number; readonly job: ValidationJob }
  | { readonly op: 'cancel'; readonly target: number }
  | { readonly op: 'invalidateModel'; readonly path: string }
  /** Test hooks: throw from the worker thread, or keep it busy for `ms` without answering. */
  | { readonly op: 'test'; readonly action: 'crash' | 'stall'; readonly ms?: number };

/**
 * An outcome as the worker posts it: the outline as JSON text, which the host reads several
 * times faster than a structured clone of thousands of small objects (a 5,000-line file).
 */
export type Posted<T extends { readonly outline: unknown }> = Omit<T, 'outline'> & { readonly outlineJson: string | undefined };

export type ValidationResponse =
  | { readonly id: number; readonly type: 'early'; readonly early: Posted<EarlyOutcome> }
  | { readonly id: number; readonly type: 'done'; readonly outcome: Posted<ValidationOutcome> }
  | { readonly id: number; readonly type: 'failed'; readonly error: string; readonly cancelled: boolean };

/** What the worker is started with (workerData). */
export interface ValidationWorkerData {
  /** This machine's figures for the host-cpu target, as the extension host read them. */
  readonly host: HostInfo;
}
