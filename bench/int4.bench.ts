/**
 * `npm run bench -- int4`: int4 weight-only, round to nearest (rtn) against GPTQ, calibrated on
 * one set of samples and judged on others (held out), in the same run:
 * - the tiny decoder LLM at sequence 128 (token ids uniform over its vocabulary, one cached position);
 * - the transformer block 1x128x256 (white-noise tokens);
 * - PaddleOCR v4's recognizer, a real trained SVTR (test/unit/quantize/ocrRec.ts), on photo strips.
 * Quantize wall time is set against one fp32 pass over the same calibration samples (fresh
 * processes); SQNR is the lowest over the model's outputs, pooled over the held-out samples.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rng } from '../src/core/onnx/builder';
import { tinyLlm, transformerEncoder } from '../src/core/onnx/fixtures';
import type { Model } from '../src/core/onnx/model';
import { writeModelFile } from '../src/core/onnx/write';
import { encodeNpy, type NpyArray } from '../src/core/runtime/npy';
import { ocrSetup } from '../test/unit/quantize/ocrRec';
import { runChild, type BenchTable, type Cell } from './harness';
import { quantizeChild } from './quantize.bench';

export const name = 'int4';

const int4Child = join(__dirname, 'int4Child.js');

/** Writes `count` samples as folders of `<input>.npy`. */
function writeSamples(dir: string, count: number, sample: (rng: Rng) => Record<string, NpyArray>, seed: number): string {
  const rng = new Rng(seed);
  for (let k = 0; k < count; k++) {
    const folder = join(dir, `s${k}`);
    mkdirSync(folder, { recursive: true });
    for (const [input, array] of Object.entries(sample(rng))) writeFileSync(join(folder, `${input}.npy`), encodeNpy(array));
  }
  return dir;
}

interface Case {
  readonly label: string;
  readonly model: string;
  readonly calibration: string;
  readonly heldOut: string;
  readonly samples: number;
}

async function syntheticCase(dir: string, label: string, model: Model, sample: (rng: Rng) => Record<string, NpyArray>, calibrate: number, judge: number): Promise<Case> {
  const slug = label.replace(/\W+/g, '_');
  const path = join(dir, `${slug}.onnx`);
  await writeModelFile(model, path);
  return { label, model: path, calibration: writeSamples(join(dir, `${slug}-calibration`), calibrate, sample, 11), heldOut: writeSamples(join(dir, `${slug}-held-out`), judge, sample, 12), samples: calibrate };
}

interface QuantizeResult {
  readonly ms: number;
  readonly peakRssBytes: number;
  readonly sqnrDb: number;
  readonly hessianBytes: number;
}

export async function run(): Promise<BenchTable[]> {
  const dir = mkdtempSync(join(tmpdir(), 'aios-bench-int4-'));
  const notes: string[] = [];
  try {
    const vocab = 256;
    const cases: Case[] = [
      await syntheticCase(
        dir,
        'tiny decoder LLM d=64 seq 128',
        tinyLlm({ model: 64, heads: 4, layers: 2, vocab, maxPositions: 512 }),
        (rng) => ({
          input_ids: { dtype: 'int64', shape: [1, 128], data: BigInt64Array.from({ length: 128 }, () => BigInt(Math.floor(rng.uniform() * vocab))) },
          ...Object.fromEntries([0, 1].flatMap((l) => ['key', 'value'].map((kv) => [`past_key_values.${l}.${kv}`, { dtype: 'float32', shape: [1, 4, 1, 16], data: rng.normalArray(64, 1) } as NpyArray]))),
        }),
        8,
        4,
      ),
      await syntheticCase(dir, 'transformer block 1x128x256', transformerEncoder({ model: 256, heads: 8, ffn: 1024 }), (rng) => ({ tokens: { dtype: 'float32', shape: [1, 128, 256], data: rng.normalArray(128 * 256, 1) } }), 8, 3),
    ];
    const ocr = await ocrSetup();
    if ('skip' in ocr) notes.push(`PaddleOCR recognizer not measured: ${ocr.skip}`);
    else cases.push({ label: 'PaddleOCR v4 recognizer (real, SVTR) 3x48x320', model: ocr.model, calibration: ocr.calibration, heldOut: ocr.heldOut, samples: 16 });

    const rows: Cell[][] = [];
    for (const c of cases) {
      const fp32 = await runChild<{ ms: number }>(quantizeChild, ['fp32', c.model, String(c.samples), c.calibration]);
      const outs = { rtn: join(dir, `${c.label.replace(/\W+/g, '_')}.rtn.onnx`), gptq: join(dir, `${c.label.replace(/\W+/g, '_')}.gptq.onnx`) };
      const q: Record<'rtn' | 'gptq', QuantizeResult> = {
        rtn: await runChild<QuantizeResult>(int4Child, ['quantize', c.model, c.calibration, outs.rtn, 'rtn']),
        gptq: await runChild<QuantizeResult>(int4Child, ['quantize', c.model, c.calibration, outs.gptq, 'gptq']),
      };
      const held = await runChild<{ samples: number; sqnrDb: Record<string, Record<string, number>> }>(quantizeChild, ['heldout', c.model, c.heldOut, '1000', outs.rtn, outs.gptq]);
      for (const method of ['rtn', 'gptq'] as const) {
        const perOutput = Object.values(held.sqnrDb[outs[method]]!);
        rows.push([
          c.label,
          method,
          Math.min(...perOutput).toFixed(1),
          q[method].sqnrDb.toFixed(1),
          `${c.samples} / ${held.samples}`,
          (q[method].ms / 1000).toFixed(2),
          (fp32.ms / 1000).toFixed(2),
          (q[method].ms / fp32.ms).toFixed(2),
          (q[method].peakRssBytes / 2 ** 20).toFixed(0),
          method === 'gptq' ? (q[method].hessianBytes / 2 ** 20).toFixed(2) : '-',
        ]);
      }
    }
    notes.push('goal: int4 weight-only >= 15 dB on held-out samples; SQNR = lowest over the outputs, each pooled over the samples; block 32, symmetric');
    return [
      {
        title: 'int4 weight-only: rtn vs gptq, calibrated on some samples and judged on held-out ones (fresh processes)',
        columns: ['model', 'method', 'held-out SQNR dB', 'calibration SQNR dB', 'samples cal / held', 'quantize s', 'fp32 pass s', 'ratio', 'peak RSS MiB', 'H MiB'],
        rows,
        notes,
      },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
