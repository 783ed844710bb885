import { findNode, makeDiagnostic, valueRange, type ParsedYaml } from '../diagnostics/yamlDocument';
import type { Diagnostic } from '../diagnostics/types';
import { isScalar } from 'yaml';
import { formatBytes } from '../quantity/counts';
import { sqnrBasis, type JudgedSamples } from './heldOut';

/** What the editor needs of a quantize run's summary (the `quantize` job kind's summary). */
export interface QuantizeFigures {
  readonly precision: string;
  /** null: the outputs are exact (infinite SQNR). */
  readonly outputSqnrDb: number | null;
  /** The gate the run applied (the use case's, or its schema default of 30 dB). */
  readonly minSqnrDb?: number | undefined;
  readonly sizeBefore: number;
  readonly sizeAfter: number;
  readonly calibration: JudgedSamples & { readonly method: string };
}

const gatePath = ['quantization', 'minSqnrDb'] as const;

/**
 * The gate as the file says now (it may have been edited since the run); where the file
 * writes none, the one the run applied (the schema's default), reported at `quantization:`.
 */
function currentGate(parsed: ParsedYaml, run: QuantizeFigures): number | undefined {
  const at = findNode(parsed.document, gatePath);
  return at.complete && isScalar(at.value) && typeof at.value.value === 'number' ? at.value.value : run.minSqnrDb;
}

const db = (v: number | null) => (v === null ? '∞' : v.toFixed(1));

/**
 * AIOS339 at the `minSqnrDb` line when the run's output SQNR is below the gate, e.g.
 * `output SQNR 31.2 dB < minSqnrDb 35 dB (int8, minmax, on 16 held-out samples of 64)`. The gate is the file's
 * current value, so lowering it clears the diagnostic without a new run, and raising it shows one.
 */
export function sqnrGateDiagnostic(parsed: ParsedYaml, run: QuantizeFigures): Diagnostic | undefined {
  const gate = currentGate(parsed, run);
  if (gate === undefined || run.outputSqnrDb === null || run.outputSqnrDb >= gate) return undefined;
  const message = `output SQNR ${db(run.outputSqnrDb)} dB < minSqnrDb ${gate} dB (${run.precision}, ${run.calibration.method}, ${sqnrBasis(run.calibration)}); raise the calibration samples, try another method, or keep sensitive layers in float (keepFloat)`;
  return makeDiagnostic('AIOS339', message, valueRange(parsed, gatePath), { path: [...gatePath] });
}

/** One line for the quantization block: `int8 · output SQNR 36.2 dB ✓ ≥ 35 dB · 4.10 MiB → 1.05 MiB`. */
export function quantizeInline(parsed: ParsedYaml, run: QuantizeFigures): string {
  const gate = currentGate(parsed, run);
  const passed = gate === undefined || run.outputSqnrDb === null || run.outputSqnrDb >= gate;
  const verdict = gate === undefined ? '' : passed ? ` ✓ ≥ ${gate} dB` : ` ✗ < ${gate} dB`;
  return `${run.precision} · output SQNR ${db(run.outputSqnrDb)} dB${verdict} · ${formatBytes(run.sizeBefore)} → ${formatBytes(run.sizeAfter)}${run.calibration.synthetic ? ' · synthetic calibration' : ''}`;
}
