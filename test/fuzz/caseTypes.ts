/** A file a case puts in its folder before it runs. */
export type CaseFile =
  | { readonly path: string; readonly bytes: Uint8Array }
  | { readonly path: string; readonly symlink: string }
  | { readonly path: string; readonly fifo: true }
  | { readonly path: string; readonly sparse: number };
export type CaseFiles = CaseFile[];

/** One probe: files in a fresh folder, then CLI commands run there. */
export interface CaseSpec {
  readonly family: string;
  readonly index: number;
  readonly how: string;
  readonly files: CaseFiles;
  readonly commands: string[][];
}

/** What one case did, as the runner saw it. */
export interface CaseResult {
  readonly family: string;
  readonly index: number;
  readonly how: string;
  readonly command: string;
  readonly exitCode: number | null;
  /** Wall time. */
  readonly ms: number;
  /** CPU time (user + system): what the time limit is checked on, so a loaded machine does not fake hangs. */
  readonly cpuMs: number;
  readonly problems: string[];
}

/** Families whose cases run through the CLI entry in a case folder each. */
export const families = ['onnx-bytes', 'onnx-graph', 'onnx-external', 'usecase-yaml', 'soc-yaml'] as const;
export type Family = (typeof families)[number];
/** Families that call the core directly, from memory (see parseCases.ts). */
export const parseFamilies = ['onnx-parse', 'yaml-parse'] as const;
export type ParseFamily = (typeof parseFamilies)[number];
