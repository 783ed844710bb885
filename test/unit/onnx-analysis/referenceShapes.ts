import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Dim } from '../../../src/core/onnx/model';
import { TESTDATA } from '../onnx-io/reference';

export const debianPython = '/usr/bin/python3';
export const conformanceRoot = TESTDATA;

export interface ReferenceTensor {
  readonly dtype: number;
  readonly shape: ReadonlyArray<number | string | null> | null;
}

export type ReferenceResult =
  | { readonly error: string }
  | { readonly inferred: Record<string, ReferenceTensor>; readonly declared: Record<string, ReferenceTensor> };

/** Why the python3-onnx reference cannot run here, or undefined when it can. */
export function referenceUnavailable(): string | undefined {
  if (!existsSync(debianPython)) return `${debianPython} is missing (apt-get install python3-onnx)`;
  const probe = spawnSync(debianPython, ['-c', 'import onnx'], { encoding: 'utf8' });
  if (probe.status !== 0) return `python3-onnx is not installed for ${debianPython} (apt-get install python3-onnx)`;
  return undefined;
}

/** Conformance models under the Debian test data, by suite folder. */
export function conformanceModels(suites: readonly string[]): string[] {
  const out: string[] = [];
  for (const suite of suites) {
    const dir = join(conformanceRoot, suite);
    if (!existsSync(dir)) continue;
    for (const test of readdirSync(dir).sort()) {
      const model = join(dir, test, 'model.onnx');
      if (existsSync(model)) out.push(model);
    }
  }
  return out;
}

/** Runs onnx.shape_inference once over all models, in one python process. */
export function referenceShapes(paths: readonly string[]): Record<string, ReferenceResult> {
  const script = join(process.cwd(), 'test/unit/onnx-analysis/onnx_shapes.py');
  const run = spawnSync(debianPython, [script], { input: JSON.stringify(paths), encoding: 'utf8', maxBuffer: 1 << 30 });
  if (run.status !== 0) throw new Error(`onnx_shapes.py failed (${run.status}): ${run.stderr.slice(0, 2000)}`);
  return JSON.parse(run.stdout) as Record<string, ReferenceResult>;
}

export interface Comparison {
  agree: number;
  /** Tensors where onnx leaves a dim (or the rank) open and ours is concrete (not checkable, counted). */
  oursMoreKnown: number;
  oursUnknown: number;
  mismatches: string[];
  unknownExamples: string[];
}

export function newComparison(): Comparison {
  return { agree: 0, oursMoreKnown: 0, oursUnknown: 0, mismatches: [], unknownExamples: [] };
}

const show = (s: ReadonlyArray<Dim | null> | null | undefined) => (s ? `[${s.map((d) => (d === null || d === undefined ? '?' : String(d))).join(',')}]` : '?');

/**
 * Counts one tensor: where the reference has a concrete dim, ours must be equal (mismatch
 * otherwise) or may be unknown/symbolic (counted). Element types must agree where both are known.
 */
export function compareTensor(c: Comparison, where: string, ref: ReferenceTensor, ours: { dtype: number | undefined; shape: readonly Dim[] | undefined } | undefined): void {
  const refShape = ref.shape;
  if (ours?.dtype !== undefined && ref.dtype !== 0 && ours.dtype !== ref.dtype) {
    c.mismatches.push(`${where}: dtype ${ours.dtype}, onnx ${ref.dtype}`);
    return;
  }
  const oursConcrete = (i: number) => typeof ours?.shape?.[i] === 'number';
  if (ours?.shape && (!refShape || ours.shape.some((_, i) => oursConcrete(i) && typeof refShape[i] !== 'number'))) c.oursMoreKnown++;
  if (!refShape || !refShape.some((d) => typeof d === 'number')) return;
  if (!ours?.shape) {
    c.oursUnknown++;
    if (c.unknownExamples.length < 400) c.unknownExamples.push(`${where}: ours ?, onnx ${show(refShape)}`);
    return;
  }
  if (ours.shape.length !== refShape.length) {
    c.mismatches.push(`${where}: ours ${show(ours.shape)}, onnx ${show(refShape)}`);
    return;
  }
  let unknown = false;
  for (let i = 0; i < refShape.length; i++) {
    const r = refShape[i];
    const o = ours.shape[i];
    if (typeof r !== 'number') continue;
    if (typeof o === 'number' && o !== r) {
      c.mismatches.push(`${where}: ours ${show(ours.shape)}, onnx ${show(refShape)}`);
      return;
    }
    if (typeof o !== 'number') unknown = true;
  }
  if (unknown) {
    c.oursUnknown++;
    if (c.unknownExamples.length < 400) c.unknownExamples.push(`${where}: ours ${show(ours.shape)}, onnx ${show(refShape)}`);
  } else c.agree++;
}
