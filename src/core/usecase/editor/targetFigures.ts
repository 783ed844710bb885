import type { Quantity } from '../../quantity/quantity';
import { enginesSupporting, formatTotalMemory, type CatalogEntry } from '../../soc/catalog';
import type { SocTarget } from '../../soc/schema';
import { vendorNote } from '../../soc/catalog/common';
import { precisions, type Precision } from '../../compute/words';

type Sourced = { readonly value: Quantity; readonly source: SocTarget['power']['static']['source'] };

/** A figure as the datasheet writes it: `30 TOPS`. */
export function figure(q: Quantity): string {
  return `${q.magnitude} ${q.unit}`;
}

/** `datasheet: <ref>; <note>`; a note in `said` is left out (the caller says it once elsewhere). */
/** A published figure's note is what the document says, then the vendor caveat many figures share. */
function noteParts(note: string): string[] {
  const caveat = `; ${vendorNote}`;
  return note.endsWith(caveat) ? [note.slice(0, -caveat.length), vendorNote] : [note];
}

export function sourceText(source: Sourced['source'], said: ReadonlySet<string> = new Set()): string {
  const note = source.note === undefined ? undefined : noteParts(source.note).filter((part) => !said.has(part)).join('; ');
  const detail = [source.ref, note].filter((s): s is string => typeof s === 'string' && s.length > 0).join('; ');
  return detail ? `${source.kind}: ${detail}` : source.kind;
}

/** Every source a target cites: engine peaks, memory sizes and bandwidths, power. */
function targetSources(t: SocTarget): Array<Sourced['source']> {
  return [
    ...t.engines.flatMap((e) => precisions.flatMap((p) => (e.precisions[p] ? [e.precisions[p].peak.source] : []))),
    ...t.memories.flatMap((m) => [m.size.source, m.bandwidth.source]),
    t.power.static.source,
    t.power.sustained.source,
  ];
}

/** The fastest engine's peak at the best precision it has, preferring int8 (what budgets are mostly about). */
export function headlinePeak(target: SocTarget): { precision: Precision; engine: SocTarget['engines'][number]; peak: Sourced } | undefined {
  for (const precision of ['int8', 'fp16', 'fp32', 'int4-weight'] as const) {
    const engine = enginesSupporting(target, precision)[0];
    const peak = engine?.precisions[precision]?.peak;
    if (engine && peak) return { precision, engine, peak };
  }
  return undefined;
}

export interface TargetSummary {
  readonly peak?: string;
  readonly dramBandwidth?: string;
  readonly memory: string;
  readonly sustainedPower: string;
}

export function targetSummary(target: SocTarget): TargetSummary {
  const head = headlinePeak(target);
  const dram = target.memories.find((m) => m.kind === 'dram') ?? target.memories[0];
  return {
    ...(head ? { peak: `${figure(head.peak.value)} ${head.precision} (${head.engine.kind})` } : {}),
    ...(dram ? { dramBandwidth: figure(dram.bandwidth.value) } : {}),
    memory: formatTotalMemory(target),
    sustainedPower: figure(target.power.sustained.value),
  };
}

/** One line for completion details and quick picks: `Qualcomm · 30 TOPS int8 (npu) · 68 GB/s DRAM · 20 W sustained`. */
export function targetDetail(entry: CatalogEntry): string {
  const t = entry.target;
  const s = targetSummary(t);
  const parts = [t.vendor, s.peak, s.dramBandwidth ? `${s.dramBandwidth} DRAM` : undefined, `${s.sustainedPower} sustained`];
  if (entry.origin === 'workspace') parts.push(entry.overridesBuiltin ? 'workspace override' : 'workspace');
  return parts.filter((p): p is string => p !== undefined).join(' · ');
}

function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, (c) => `\\${c}`);
}

/** Markdown for a target: engines with peak figures per precision, memories, power, each with its source. */
export function targetMarkdown(entry: CatalogEntry): string {
  const t = entry.target;
  const origin = entry.origin === 'workspace' ? `workspace file \`${entry.file ?? ''}\`${entry.overridesBuiltin ? ' (overrides the built-in target)' : ''}` : 'built-in catalog';
  // A note many figures share ("check the current datasheet …") is said once, under the tables.
  const notes = targetSources(t).flatMap((source) => (source.note ? noteParts(source.note) : []));
  const said = new Set(notes.filter((note, i) => notes.indexOf(note) !== i));
  const src = (source: Sourced['source']) => escapeMarkdown(sourceText(source, said));
  const lines: string[] = [`**${escapeMarkdown(t.name)}** — ${escapeMarkdown(t.vendor)} \`${t.id}\``, '', `_${origin}_`];
  if (t.description) lines.push('', escapeMarkdown(t.description));
  lines.push('', '| engine | precision | peak | source |', '|---|---|---|---|');
  for (const e of t.engines) {
    for (const p of precisions) {
      const fig = e.precisions[p]?.peak;
      if (fig) lines.push(`| ${e.kind} ${escapeMarkdown(e.name ?? e.id)} | ${p} | ${figure(fig.value)} | ${src(fig.source)} |`);
    }
  }
  lines.push('', '| memory | size | bandwidth | source |', '|---|---|---|---|');
  for (const m of t.memories) {
    lines.push(`| ${m.kind} ${m.id} | ${figure(m.size.value)} | ${figure(m.bandwidth.value)} | ${src(m.size.source)}; ${src(m.bandwidth.source)} |`);
  }
  lines.push(
    '',
    `Power: static ${figure(t.power.static.value)} (${src(t.power.static.source)}), sustained ${figure(t.power.sustained.value)} (${src(t.power.sustained.source)})`,
  );
  for (const note of said) lines.push('', `_Note on these figures: ${escapeMarkdown(note)}._`);
  return lines.join('\n');
}

/** Plain-text figures of one engine for a tree row: `int8 30 TOPS · fp16 7.5 TFLOPS`. */
export function engineFigures(engine: SocTarget['engines'][number]): string {
  return precisions.flatMap((p) => {
    const fig = engine.precisions[p]?.peak;
    return fig ? [`${p} ${figure(fig.value)}`] : [];
  }).join(' · ');
}

/** Plain-text sources of one engine's figures, one per line, for tooltips. */
export function engineSources(engine: SocTarget['engines'][number]): string[] {
  return precisions.flatMap((p) => {
    const fig = engine.precisions[p]?.peak;
    return fig ? [`${p} ${figure(fig.value)} — ${sourceText(fig.source)}`] : [];
  });
}
