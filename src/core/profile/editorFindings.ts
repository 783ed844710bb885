import type { Diagnostic } from '../diagnostics/types';
import type { ParsedYaml } from '../diagnostics/yamlDocument';
import { formatBytes } from '../quantity/counts';
import { budgetDiagnostics, formatMs } from './budgets';
import type { EcuLoad, ProfileFits, TargetProfile } from './result';

/** A profile run as the editor reads it: its id and its result rows (newest run first in lists). */
export interface ProfileRunRows {
  readonly runId: string;
  readonly results: readonly TargetProfile[];
}

/** The newest result of one target of the use case, and the run it came from. */
export interface TargetResult {
  /** Index in the use case's `targets`. */
  readonly index: number;
  readonly runId: string;
  readonly result: TargetProfile;
}

/**
 * The newest result per target of the use case, from runs listed newest first: a run that
 * profiled one target (its lens) replaces only that target's result. Rows are matched to
 * targets by SoC id, each row to the first target with that id not yet matched in its run.
 * Rows of other use cases (`--ecu` runs) are skipped.
 */
export function newestPerTarget(targets: ReadonlyArray<{ readonly soc: string }>, runs: readonly ProfileRunRows[], useCase?: string): TargetResult[] {
  const found = new Map<number, TargetResult>();
  for (const run of runs) {
    const usedInRun = new Set<number>();
    for (const result of run.results) {
      if (result.useCase !== undefined && useCase !== undefined && result.useCase !== useCase) continue;
      const index = targets.findIndex((t, i) => t.soc === result.target && !usedInRun.has(i));
      if (index < 0) continue;
      usedInRun.add(index);
      if (!found.has(index)) found.set(index, { index, runId: run.runId, result });
    }
    if (found.size === targets.length) break;
  }
  return [...found.values()].sort((a, b) => a.index - b.index);
}

/** Budget diagnostics (AIOS335-338) of the newest result of each target. */
export function profileDiagnostics(parsed: ParsedYaml, targets: ReadonlyArray<{ readonly soc: string }>, newest: readonly TargetResult[]): Diagnostic[] {
  // budgetDiagnostics matches rows to targets by SoC id: hide the targets without a result so each row lands on its own index.
  const withResult = new Set(newest.map((n) => n.index));
  const visible = targets.map((t, i) => ({ soc: withResult.has(i) ? t.soc : '' }));
  return budgetDiagnostics(parsed, visible, [...newest].sort((a, b) => a.index - b.index).map((n) => n.result));
}

const mark = (fit: boolean | null | undefined) => (fit === false ? '✗' : fit === true ? '✓' : '');

function figure(value: string, fit: ProfileFits[keyof ProfileFits], budget: string | undefined): string {
  const m = mark(fit);
  if (budget === undefined) return m === '✗' ? `${value} ✗` : value;
  return `${value} ${m} ${fit === false ? '>' : '≤'} ${budget}`.replace(/\s+/g, ' ');
}

/**
 * One line for a target's lens: `6.10 ms ✓ ≤ 10 ms · 112 MiB ✓ ≤ 256 MiB · 4.20 W ✓ ≤ 15 W · 30 fps ✓`.
 * Memory without a budget is checked against the SoC's memory and shows ✗ only when over it.
 */
export function targetInline(r: TargetProfile): string {
  const b = r.budgets;
  const parts = [
    figure(`${formatMs(r.latencyMs)} ms`, r.fits.latency, b?.latencyMs === undefined ? undefined : `${formatMs(b.latencyMs)} ms`),
    figure(formatBytes(r.peakMemoryBytes), b?.memoryBytes === undefined ? (r.fits.memory === false ? false : null) : r.fits.memory, b?.memoryBytes === undefined ? undefined : formatBytes(b.memoryBytes)),
    figure(`${r.powerW.toFixed(2)} W`, r.fits.power, b?.powerW === undefined ? undefined : `${b.powerW} W`),
  ];
  if (b?.fps !== undefined) parts.push(`${b.fps} fps ${mark(r.fits.fps)}`.trim());
  return `${r.precision} · ${parts.join(' · ')}`;
}

/** `ECU adas-central-compute on nvidia-drive-orin: overloaded by 23% · gpu 123%, cpu 4% · memory 300 MiB of 32.0 GiB · 3 use cases`. */
export function ecuInline(ecu: EcuLoad): string {
  const verdict = ecu.verdict === 'fits' ? 'fits' : `overloaded by ${ecu.overloadPercent.toFixed(0)}%`;
  const engines = ecu.engines.map((e) => `${e.engine} ${Math.round(e.utilisation * 100)}%`).join(', ');
  return `ECU ${ecu.ecu} on ${ecu.target}: ${verdict} · ${engines} · memory ${formatBytes(ecu.memoryBytes)} of ${formatBytes(ecu.memoryCapacityBytes)} · ${ecu.useCases.length} use case${ecu.useCases.length === 1 ? '' : 's'}`;
}
