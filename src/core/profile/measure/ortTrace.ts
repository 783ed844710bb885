/**
 * Reading onnxruntime's profile: the Chrome-trace JSON that a session created with
 * `enableProfiling` writes (one `X` event per executed kernel per run, `cat: "Node"`, named
 * `<node name>_kernel_time`, with `args.op_name` and `args.provider`; one `model_run` event
 * per run, `cat: "Session"`). Checked against onnxruntime-node 1.30's output.
 */
import { z } from 'zod';
import { quantile } from './statistics';

const kernelSuffix = '_kernel_time';

const traceEventSchema = z.looseObject({
  cat: z.string().optional(),
  name: z.string(),
  ph: z.string().optional(),
  dur: z.number().nonnegative().optional(),
  args: z.looseObject({ op_name: z.string().optional(), provider: z.string().optional() }).optional(),
});

const traceSchema = z.union([z.array(z.unknown()), z.looseObject({ traceEvents: z.array(z.unknown()) })]);

/** One kernel of the optimised graph onnxruntime ran, with its time per run. */
export interface TracedKernel {
  /** The node name in onnxruntime's optimised graph (often the model's own node name). */
  readonly name: string;
  readonly op: string;
  readonly provider: string;
  /** Median (or the quantile asked for) over the profiled runs, ms. */
  readonly ms: number;
  /** How many times it ran in the trace (runs x executions per run). */
  readonly count: number;
}

export interface OrtTrace {
  /** In order of first execution. */
  readonly kernels: readonly TracedKernel[];
  /** Whole-run times (`model_run`), ms, in trace order. */
  readonly runsMs: readonly number[];
}

export class TraceFormatError extends Error {}

/**
 * Per-kernel median times from the trace text. A kernel that runs several times in one run (a
 * node inside a loop body) counts its executions of one run together; runs are told apart by
 * the `model_run` events around them (when there are none, every execution is one sample).
 * `skipRuns` leaves out the first runs (a first run pays for allocations); `quantile` (default
 * 0.5, the median) picks another order statistic over the runs.
 */
export function parseOrtTrace(text: string, options: { readonly skipRuns?: number; readonly quantile?: number } = {}): OrtTrace {
  const skipRuns = options.skipRuns ?? 0;
  const q = options.quantile ?? 0.5;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new TraceFormatError(`onnxruntime's profile is not JSON (${(e as Error).message}); was the file cut short?`);
  }
  const top = traceSchema.safeParse(json);
  if (!top.success) throw new TraceFormatError('onnxruntime\'s profile is not a Chrome trace (expected an array of events or {traceEvents: [...]})');
  const raw = Array.isArray(top.data) ? top.data : top.data.traceEvents;
  const events = raw.flatMap((e) => {
    const parsed = traceEventSchema.safeParse(e);
    return parsed.success ? [{ ...parsed.data, ts: typeof (e as { ts?: unknown }).ts === 'number' ? (e as { ts: number }).ts : 0 }] : [];
  });
  const runs = events.filter((e) => e.cat === 'Session' && e.name === 'model_run' && e.dur !== undefined).sort((a, b) => a.ts - b.ts);
  const runOf = (ts: number): number => {
    if (runs.length === 0) return -1;
    for (let i = 0; i < runs.length; i++) {
      const r = runs[i]!;
      if (ts >= r.ts && ts <= r.ts + (r.dur ?? 0)) return i;
    }
    return -1;
  };
  const byName = new Map<string, { op: string; provider: string; perRun: Map<number, number>; count: number; first: number }>();
  let sample = 0;
  for (const e of events) {
    if (e.cat !== 'Node' || !e.name.endsWith(kernelSuffix) || e.dur === undefined) continue;
    const name = e.name.slice(0, -kernelSuffix.length);
    const run = runs.length > 0 ? runOf(e.ts) : sample++;
    if (runs.length > 0 && run >= 0 && run < skipRuns) continue;
    let entry = byName.get(name);
    if (!entry) {
      entry = { op: e.args?.op_name ?? '', provider: e.args?.provider ?? '', perRun: new Map(), count: 0, first: e.ts };
      byName.set(name, entry);
    }
    entry.perRun.set(run, (entry.perRun.get(run) ?? 0) + e.dur);
    entry.count++;
    entry.first = Math.min(entry.first, e.ts);
  }
  const kernels = [...byName.entries()]
    .sort((a, b) => a[1].first - b[1].first)
    .map(([name, e]) => ({ name, op: e.op, provider: e.provider, ms: (quantile([...e.perRun.values()], q) ?? 0) / 1000, count: e.count }));
  return { kernels, runsMs: runs.slice(skipRuns).map((r) => (r.dur ?? 0) / 1000) };
}
