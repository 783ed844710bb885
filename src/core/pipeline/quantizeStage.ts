import { promises as fsp } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { sqnrBasis } from '../quantize/heldOut';
import type { QuantizeSummary } from '../quantize/run';
import type { PipelineStage, ReportSections, StageOutcome } from './pipeline';

/** Samples the report's per-layer SQNR is measured on (the gate's SQNR uses all calibration samples). */
const reportSamples = 8;

/**
 * Pipeline stage `quantize`: quantizes the use case's model as its `quantization` and
 * `calibration` sections say, writes `<model>.<precision>.onnx` beside it (temp file + rename),
 * and fails when the output SQNR is under `quantization.minSqnrDb`. No quantization section,
 * or precision fp32: the model ships in float and there is nothing to check.
 */
export function quantizeStage(): PipelineStage {
  return {
    name: 'quantize',
    async run({ file, useCase, model, signal }): Promise<StageOutcome> {
      const q = useCase.quantization;
      if (q === undefined || q.precision === 'fp32') return { status: 'passed', detail: 'not quantized: the model ships in fp32' };
      const { QuantizeInputError, resolveSettings } = await import('../quantize/request');
      const { runQuantize } = await import('../quantize/run');
      const controller = new AbortController();
      const abort = () => controller.abort(signal?.reason);
      signal?.addEventListener('abort', abort, { once: true });
      const temps: string[] = [];
      try {
        const settings = resolveSettings({ input: file }, dirname(file));
        const summary = await runQuantize(settings, {
          signal: controller.signal,
          cwd: dirname(file),
          progress: () => undefined,
          log: () => undefined,
          output: (path) => {
            const temp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
            temps.push(temp);
            return temp;
          },
        });
        for (const temp of temps) await fsp.rename(temp, summary.output);
        temps.length = 0;
        const sqnr = Number.isFinite(summary.outputSqnrDb) ? `${summary.outputSqnrDb.toFixed(1)} dB` : 'exact';
        const detail = `${summary.precision} ${relative(dirname(file), summary.output)}: output SQNR ${sqnr} ${sqnrBasis(summary.calibration)} (gate ${q.minSqnrDb} dB), ${summary.nodesQuantized} nodes quantized, ${summary.nodesKeptFloat} kept float`;
        const report = await quantizeReport(model.path, summary, q.minSqnrDb, settings.calibration, controller.signal);
        return { status: summary.outputSqnrDb >= q.minSqnrDb ? 'passed' : 'failed', detail, report };
      } catch (e) {
        signal?.throwIfAborted();
        if (e instanceof QuantizeInputError) return { status: 'failed', detail: e.message };
        if (e instanceof Error && /not available yet/.test(e.message)) return { status: 'unavailable', detail: e.message };
        return { status: 'failed', detail: e instanceof Error ? e.message : String(e) };
      } finally {
        signal?.removeEventListener('abort', abort);
        for (const temp of temps) await fsp.rm(temp, { force: true });
      }
    },
  };
}

/**
 * The report's quantization section: the gate's figures, and the SQNR of every matched tensor in
 * graph order from a quantization diff on a few of the calibration samples. A diff that fails
 * leaves the chart out, not the stage.
 */
async function quantizeReport(fp32: string, summary: QuantizeSummary, minSqnrDb: number, data: string, signal: AbortSignal): Promise<ReportSections> {
  let layers: Array<{ name: string; sqnrDb: number }> = [];
  try {
    const { quantDiff } = await import('../quantdiff/quantDiff');
    const diff = await quantDiff(fp32, summary.output, { data, samples: reportSamples, latencyRuns: 0, signal });
    layers = [...diff.tensors]
      .sort((a, b) => a.order - b.order)
      .filter((t) => t.sqnrDb !== null && Number.isFinite(t.sqnrDb))
      .map((t) => ({ name: t.node, sqnrDb: t.sqnrDb! }));
  } catch {
    signal.throwIfAborted();
  }
  return {
    quantize: {
      precision: summary.precision,
      outputSqnrDb: Number.isFinite(summary.outputSqnrDb) ? summary.outputSqnrDb : null,
      minSqnrDb,
      synthetic: summary.calibration.synthetic,
      layers,
      sizeBefore: summary.sizeBefore,
      sizeAfter: summary.sizeAfter,
    },
  };
}
