import type { Command } from 'commander';
import { readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve } from 'node:path';
import type { ProfileView } from '../../protocol/profileView';
import { profileViewData } from '../../core/profile/view/profileViewData';
import { renderProfileHtml } from '../../core/profile/view/profileHtml';
import { precisions, type Precision } from '../../core/compute/words';
import { nodeFileSystem } from '../../core/fs';
import { formatMs as fmtMs, shortTarget, topLayers } from '../../core/profile/budgets';
import { checkProfileRequest, ProfileInputError } from '../../core/profile/profileRun';
import type { ProfileResult, TargetProfile } from '../../core/profile/result';
import { formatBytes } from '../../core/quantity/counts';
import { hostInfoFromOs } from '../../core/soc/hostInfo';
import { profileJobKind } from '../../core/tasks/kinds/profileKind';
import { webviewBundleCandidates } from '../../core/webview/bundlePath';
import { ExitCode, UsageError } from '../errors';
import { formatTable, printJson, type CliIo } from '../io';
import { runJobInCli } from '../runJob';
import { parseInputShape } from './modelArgument';
import { inputPathArgument } from './pathArguments';

const help = `
INPUT is a model (.onnx) or a use case (*.usecase.yaml). A use case gives the targets, budgets,
precision (quantization.precision) and input shapes; --target restricts or adds targets and
--precision overrides. A model is profiled on --target (default host-cpu) at --precision
(default: the precision its weights are stored in).

The estimate is a roofline per kernel: engine assignment by supported ops and precision (other
ops fall back to the CPU, with the transfer charged), fusion by the engine's rules, time =
max(compute at peak x efficiency, memory traffic at DRAM/SRAM bandwidth) + per-kernel overhead.
Totals: latency, peak memory (weights + live activations), energy, average power, sustained fps
under the thermal limit, utilisation per engine. Decoder LLMs (KV-cache inputs) also get prefill
and decode tokens/s and KV-cache memory per context length. A use case with placement split or
cloud gets the vehicle-cloud split curve (every cut, best one proposed) against cloud-gpu.

--ecu NAME profiles every use case of the workspace deployed on that ECU (INPUT: a folder or a
file in the workspace) on their SoC (--target to choose): engine load at their fps, memory sum,
verdict fits / overloaded.

Exit codes: 0 every budget fits; 1 a budget is exceeded (or the ECU is overloaded); 2 bad input
(unknown target, unreadable model, invalid use case), with one line on stderr.

Examples:
  aios profile model.onnx --target qualcomm-sa8295p --target ti-tda4vm --precision int8
  aios profile samples/cockpit/driver-monitoring.usecase.yaml --json
  aios profile . --ecu cockpit-domain-controller
`;

const mark = (fits: boolean | null | undefined) => (fits === null || fits === undefined ? '' : fits ? ' ✓' : ' ✗');

function row(r: TargetProfile): string[] {
  const b = r.budgets;
  const engines = r.engines.map((e) => `${e.engine} ${Math.round(e.utilisation * 100)}%`).join(', ');
  return [
    r.useCase ? `${shortTarget(r.target)} (${r.useCase})` : r.target,
    r.precision,
    `${fmtMs(r.latencyMs)} ms${mark(r.fits.latency)}${b?.latencyMs !== undefined ? ` of ${fmtMs(b.latencyMs)}` : ''}`,
    `${formatBytes(r.peakMemoryBytes)}${mark(r.fits.memory)}`,
    `${r.powerW >= 1 ? r.powerW.toFixed(2) : Number(r.powerW.toPrecision(2))} W${mark(r.fits.power)}`,
    `${r.sustainedFps >= 1e4 ? '>10k' : r.sustainedFps.toFixed(0)}${r.thermalLimited ? ' (thermal)' : ''}${mark(r.fits.fps)}`,
    engines,
  ];
}

export function violates(result: ProfileResult): boolean {
  return result.results.some((r) => Object.values(r.fits).some((f) => f === false)) || result.ecu?.verdict === 'overloaded';
}

function printHuman(io: CliIo, result: ProfileResult, runId: string): void {
  const out: string[] = [];
  out.push(formatTable(['target', 'precision', 'latency', 'peak memory', 'power', 'fps', 'engines'], result.results.map(row)).trimEnd());
  for (const r of result.results) {
    out.push('', `${r.target}: top layers ${topLayers(r.layers, r.latencyMs, 5)}`);
    for (const w of r.warnings) out.push(`  warning: ${w.message}`);
    if (r.llm) {
      out.push(`  LLM: KV cache ${formatBytes(r.llm.kvBytesPerToken)}/token; ${r.llm.contexts.map((c) => `ctx ${c.contextTokens}: prefill ${c.prefillTokensPerS.toFixed(0)} tok/s, decode ${c.decodeTokensPerS.toFixed(1)} tok/s, KV ${formatBytes(c.kvCacheBytes)}`).join('; ')}`);
    }
    if (r.split) {
      const s = r.split;
      const best = s.cuts[s.best];
      const all = s.cuts[s.cuts.length - 1];
      const cloud = s.cuts[0];
      if (best && all && cloud) {
        out.push(`  split: best cut after ${best.after ?? '(inputs: all in the cloud)'} = ${fmtMs(best.totalMs)} ms (vehicle ${fmtMs(best.vehicleMs)} + uplink ${fmtMs(best.transferMs)} for ${formatBytes(best.transferBytes)} + ${s.cloudTarget} ${fmtMs(best.cloudMs)}); all in the vehicle ${fmtMs(all.totalMs)} ms, all in the cloud ${fmtMs(cloud.totalMs)} ms`);
      }
    }
  }
  if (result.ecu) {
    const e = result.ecu;
    out.push('', `ECU ${e.ecu} on ${e.target}: ${e.verdict === 'fits' ? 'fits' : `overloaded by ${e.overloadPercent.toFixed(0)}%`}`);
    out.push(`  engines: ${e.engines.map((x) => `${x.engine} ${Math.round(x.utilisation * 100)}%`).join(', ')}; memory ${formatBytes(e.memoryBytes)} of ${formatBytes(e.memoryCapacityBytes)}`);
    out.push(`  use cases: ${e.useCases.map((u) => `${u.name} at ${u.fps.toFixed(1)} fps${u.assumedFps ? ' (assumed)' : ''}`).join(', ')}`);
  }
  if (result.measured) {
    const m = result.measured;
    out.push('', `Measured on this host (onnxruntime-node ${m.ortVersion ?? ''}): p50 ${fmtMs(m.p50Ms)} ms, p90 ${fmtMs(m.p90Ms)} ms, p99 ${fmtMs(m.p99Ms)} ms over ${m.runs} runs`.replace('  ', ' '));
    if (m.estimateRatio !== undefined) out.push(`  host-cpu estimate / measured p50: ${m.estimateRatio.toFixed(2)}`);
    if (m.rankCorrelation !== undefined) out.push(`  per-layer rank correlation (Spearman): ${m.rankCorrelation.toFixed(2)} over ${m.comparedLayers ?? 0} layers`);
  }
  if (result.measureError) out.push('', `Not measured: ${result.measureError}`);
  out.push('', `Run ${runId}`);
  io.stdout.write(`${out.join('\n')}\n`);
}

/** The profile page's app bundle (see webviewBundleCandidates). */
async function profilePageScript(): Promise<string> {
  const candidates = webviewBundleCandidates('profile.js');
  for (const file of candidates) {
    try {
      return await readFile(file, 'utf8');
    } catch {
      // next candidate
    }
  }
  throw new UsageError(`cannot write --html: the profile page bundle is missing (looked for ${candidates.join(', ')}); build with node esbuild.mjs`);
}

/** Writes the page atomically: a temp file beside it, renamed once complete. */
async function writeProfilePage(path: string, view: ProfileView, app: string): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  try {
    await writeFile(temp, renderProfileHtml(view, app));
    await rename(temp, path);
  } catch (e) {
    await rm(temp, { force: true });
    throw new UsageError(`cannot write ${path}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

export function registerProfile(program: Command, io: CliIo, setExitCode: (code: ExitCode) => void): void {
  program
    .command('profile <input>')
    .description('estimated latency, memory and power per SoC target; recorded in .aios/runs/')
    .option('--target <id...>', 'SoC target ids (repeatable)')
    .option('--precision <precision>', `${precisions.join(' | ')}`)
    .option('--input <name=dims>', 'concrete input shape, e.g. image=1,3,224,224 (repeatable)', (v: string, prev: string[]) => [...prev, v], [] as string[])
    .option('--ecu <name>', 'profile every use case deployed on this ECU together')
    .option('--measure', 'also run the model on this host with onnxruntime-node')
    .option('--html <out>', 'write the profile as one self-contained HTML page')
    .option('--json', 'print one JSON document on stdout')
    .addHelpText('after', help)
    .action(async (input: string, options: { target?: string[]; precision?: string; input: string[]; ecu?: string; measure?: boolean; html?: string; json?: boolean }) => {
      if (options.precision !== undefined && !(precisions as readonly string[]).includes(options.precision)) {
        throw new UsageError(`bad --precision '${options.precision}': expected one of ${precisions.join(', ')}`);
      }
      const html = options.html === undefined ? undefined : resolve(io.cwd, options.html);
      const app = html === undefined ? undefined : await profilePageScript();
      if (html !== undefined && !(await stat(dirname(html)).then((st) => st.isDirectory(), () => false))) throw new UsageError(`cannot write ${options.html}: the folder ${dirname(html)} does not exist`);
      const inputShapes = Object.fromEntries(options.input.map(parseInputShape));
      const request = {
        input: inputPathArgument(io, input, true),
        ...(options.target?.length ? { targets: options.target } : {}),
        ...(options.precision ? { precision: options.precision as Precision } : {}),
        ...(options.input.length > 0 ? { inputShapes } : {}),
        ...(options.ecu !== undefined ? { ecu: options.ecu } : {}),
        ...(options.measure ? { measure: true } : {}),
      };
      try {
        await checkProfileRequest(request, { fs: nodeFileSystem, host: hostInfoFromOs() });
      } catch (e) {
        if (e instanceof ProfileInputError) throw new UsageError(e.message.replaceAll(request.input, input));
        throw e;
      }
      let outcome;
      try {
        outcome = await runJobInCli(io, profileJobKind, { ...request, input: relative(io.cwd, request.input) || '.' });
      } catch (e) {
        // The estimator fails only on its input (unreadable model, invalid use case, bad shapes).
        if (e instanceof Error && e.message.startsWith('the profile run failed: ')) throw new UsageError(e.message.slice('the profile run failed: '.length));
        throw e;
      }
      const { summary, record } = outcome;
      const shown: ProfileResult = {
        ...summary,
        ...(summary.model ? { model: relative(io.cwd, summary.model) } : {}),
        ...(summary.useCase ? { useCase: relative(io.cwd, summary.useCase) } : {}),
        results: summary.results.map((r) => (r.useCase ? { ...r, useCase: relative(io.cwd, r.useCase) } : r)),
        ...(summary.ecu ? { ecu: { ...summary.ecu, useCases: summary.ecu.useCases.map((u) => ({ ...u, file: relative(io.cwd, u.file) })) } } : {}),
        runId: record.id,
      };
      if (html !== undefined && app !== undefined) await writeProfilePage(html, profileViewData({ ...summary, runId: record.id }, basename(summary.model ?? summary.useCase ?? input)), app);
      if (options.json) printJson(io, shown);
      else printHuman(io, shown, record.id);
      setExitCode(violates(shown) ? ExitCode.checkFailed : ExitCode.ok);
    });
}
