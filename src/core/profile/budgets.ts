import { makeDiagnostic, keyRange, valueRange, type ParsedYaml } from '../diagnostics/yamlDocument';
import type { Diagnostic } from '../diagnostics/types';
import { formatBytes } from '../quantity/counts';
import type { SocTarget } from '../soc/schema';
import { totalMemoryBytes } from '../soc/catalog';
import type { UseCase } from '../usecase/schema';

type Budgets = UseCase['targets'][number]['budgets'];
import type { Estimate } from './estimate';
import type { ProfileBudgets, ProfileLayer, TargetProfile } from './result';

/** A use case's budgets in result units (ms, bytes, W, fps). */
export function profileBudgets(budgets: Budgets | undefined): ProfileBudgets | undefined {
  if (!budgets) return undefined;
  const out: ProfileBudgets = {};
  if (budgets.latency) out.latencyMs = budgets.latency.value * 1e3;
  if (budgets.memory) out.memoryBytes = budgets.memory.value;
  if (budgets.power) out.powerW = budgets.power.value;
  if (budgets.fps !== undefined) out.fps = budgets.fps;
  return Object.keys(out).length > 0 ? out : undefined;
}

/** Average power the model adds when running at `fps` (energy per frame x fps); back to back without fps. */
export function powerAtFps(estimate: Estimate, fps: number | undefined): number {
  return fps === undefined ? estimate.profile.powerW : estimate.dynamicEnergyJ * fps;
}

/**
 * The result row of one target: the estimate checked against its budgets. Memory is checked
 * against the budget and the SoC's memory; power at the fps budget when one is set; fps as
 * sustained fps >= budget.
 */
export function withBudgets(estimate: Estimate, target: SocTarget, budgets: ProfileBudgets | undefined): TargetProfile {
  const p = estimate.profile;
  const fps = budgets?.fps;
  const power = powerAtFps(estimate, fps);
  const memoryCap = Math.min(budgets?.memoryBytes ?? Infinity, totalMemoryBytes(target));
  const engines = fps === undefined ? p.engines : p.engines.map((e) => ({ ...e, utilisationAtFps: (e.busyMs * fps) / 1e3 }));
  return {
    ...p,
    ...(fps !== undefined ? { powerW: power } : {}),
    engines,
    ...(budgets ? { budgets } : {}),
    fits: {
      latency: budgets?.latencyMs === undefined ? null : p.latencyMs <= budgets.latencyMs,
      memory: p.peakMemoryBytes <= memoryCap,
      power: budgets?.powerW === undefined ? null : power <= budgets.powerW,
      ...(fps !== undefined ? { fps: p.sustainedFps >= fps } : {}),
    },
  };
}

/** The layers taking most of the time: `/backbone/stage3 41%, /head 12%`. */
export function topLayers(layers: readonly ProfileLayer[], totalMs: number, count = 3): string {
  if (totalMs <= 0) return '';
  return [...layers]
    .sort((a, b) => b.ms - a.ms)
    .slice(0, count)
    .map((l) => `${l.node} ${Math.round((l.ms / totalMs) * 100)}%`)
    .join(', ');
}

/** 120 ms, 9.4 ms, 1.25 ms, 0.042 ms: three significant digits at most, no exponent. */
export function formatMs(v: number): string {
  if (v >= 100) return v.toFixed(0);
  if (v >= 10) return v.toFixed(1);
  if (v >= 1 || v === 0) return v.toFixed(2);
  return Number(v.toPrecision(2)).toString();
}

const ms = (v: number) => `${formatMs(v)} ms`;

/** `sa8295p` for `qualcomm-sa8295p`: the part users say. */
export function shortTarget(id: string): string {
  const parts = id.split('-');
  return parts.length > 1 ? parts.slice(1).join('-') : id;
}

/**
 * Diagnostics at the budget's line in the use case for every budget a result breaks, e.g.
 * `sa8295p: 9.4 ms estimated > 8 ms; top: /backbone/stage3 41%`. `results` are matched to the
 * use case's `targets` by index when they line up, else by SoC id (the first target with it).
 */
export function budgetDiagnostics(parsed: ParsedYaml, targets: ReadonlyArray<{ readonly soc: string }>, results: readonly TargetProfile[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  const used = new Set<number>();
  for (const r of results) {
    const index = targets.findIndex((t, i) => !used.has(i) && t.soc === r.target);
    if (index < 0) continue;
    used.add(index);
    const name = shortTarget(r.target);
    // A budget missing from the file (e.g. memory checked against the SoC) points at the target's soc.
    const at = (key: string) => {
      const path = ['targets', index, 'budgets', key];
      return { range: valueRange(parsed, path), path };
    };
    const b = r.budgets;
    if (r.fits.latency === false && b?.latencyMs !== undefined) {
      const { range, path } = at('latency');
      out.push(makeDiagnostic('AIOS335', `${name}: ${ms(r.latencyMs)} estimated > ${ms(b.latencyMs)}; top: ${topLayers(r.layers, r.latencyMs)}`, range, { path }));
    }
    if (r.fits.memory === false) {
      const over = b?.memoryBytes !== undefined && r.peakMemoryBytes > b.memoryBytes;
      const { range, path } = at(over ? 'memory' : 'latency');
      const limit = over ? `the ${formatBytes(b?.memoryBytes ?? 0)} budget` : `the SoC's memory`;
      out.push(makeDiagnostic('AIOS336', `${name}: peak memory ${formatBytes(r.peakMemoryBytes)} estimated (weights ${formatBytes(r.weightBytes)}, activations ${formatBytes(r.peakActivationBytes)}) > ${limit}`, over ? range : keyRange(parsed, ['targets', index, 'soc']), { path }));
    }
    if (r.fits.power === false && b?.powerW !== undefined) {
      const { range, path } = at('power');
      out.push(makeDiagnostic('AIOS337', `${name}: ${r.powerW.toFixed(2)} W estimated${b.fps !== undefined ? ` at ${b.fps} fps` : ''} > ${b.powerW} W`, range, { path }));
    }
    if (r.fits.fps === false && b?.fps !== undefined) {
      const { range, path } = at('fps');
      const why = r.thermalLimited ? `the thermal limit allows ${r.sustainedFps.toFixed(1)} fps` : `${b.fps} fps x ${ms(r.latencyMs)} = ${((b.fps * r.latencyMs) / 1e3).toFixed(2)} s of work per second`;
      out.push(makeDiagnostic('AIOS338', `${name}: cannot sustain ${b.fps} fps: ${why}`, range, { path }));
    }
  }
  return out;
}
