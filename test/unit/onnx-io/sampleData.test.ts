import { strict as assert } from 'node:assert';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse } from 'yaml';
import { SAMPLE_DATA } from '../../../src/core/onnx/fixtures/samples';
import { readModelFile } from '../../../src/core/onnx/read';
import { encodeNpy, openSampleSource, openSession, runSamples, toFloat32 } from '../../../src/core/runtime';
import { Rng } from '../../../src/core/onnx/builder';
import { chassisSteps, chassisWindow } from '../../../src/core/onnx/fixtures/signals/roadSurface';
import { batteryFeatures, batteryWindow } from '../../../src/core/onnx/fixtures/signals/battery';
import { irFrame, irSide } from '../../../src/core/onnx/fixtures/signals/cabinIr';
import { radarDoppler, radarFrame } from '../../../src/core/onnx/fixtures/signals/cabinRadar';
import { REPO_ROOT } from './reference';

const samples = join(REPO_ROOT, 'samples');

function useCases(): Array<{ file: string; doc: { calibration?: { data?: string }; dataLoop?: unknown; model: { path: string } } }> {
  return readdirSync(samples, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.usecase.yaml'))
    .map((f) => ({ file: join(samples, f), doc: parse(readFileSync(join(samples, f), 'utf8')) as never }));
}

function folderBytes(dir: string): number {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).reduce((sum, f) => {
    const s = statSync(join(dir, f));
    return sum + (s.isFile() ? s.size : 0);
  }, 0);
}

const variance = (xs: ArrayLike<number>) => {
  const a = Array.from(xs);
  const m = a.reduce((s, x) => s + x, 0) / a.length;
  return a.reduce((s, x) => s + (x - m) ** 2, 0) / a.length;
};

describe('sample data (samples/*/data: calibration and replay .npy)', function () {
  this.timeout(120_000);

  it('is byte-identical to a fresh regeneration (run scripts/generate-samples.ts after changing a generator)', () => {
    for (const set of SAMPLE_DATA) {
      const files = set.files();
      const committed = readdirSync(join(samples, set.folder), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.npy'));
      assert.equal(committed.length, files.length, `${set.folder}: ${committed.length} files committed, ${files.length} generated`);
      for (const { path, array } of files) {
        assert.equal(Buffer.compare(readFileSync(join(samples, path)), encodeNpy(array)), 0, `${path} differs from its regeneration`);
      }
    }
  });

  it('keeps every use case under 5 MB and all data under 6 MB', () => {
    let total = 0;
    for (const domain of readdirSync(samples).filter((d) => statSync(join(samples, d)).isDirectory())) {
      const bytes = folderBytes(join(samples, domain));
      assert.ok(bytes < 5e6, `${domain}: ${bytes} bytes`);
    }
    for (const set of SAMPLE_DATA) total += folderBytes(join(samples, set.folder));
    assert.ok(total < 6e6, `sample data: ${total} bytes`);
  });

  it("every use case calibrates on recorded data that feeds its model in onnxruntime-node with finite outputs", async () => {
    for (const { file, doc } of useCases()) {
      const data = doc.calibration?.data;
      assert.ok(data && data !== 'synthetic', `${file}: calibration.data names a folder`);
      const modelPath = join(dirname(file), doc.model.path);
      const model = await readModelFile(modelPath);
      const source = await openSampleSource(join(dirname(file), data), model.graph, { samples: 3 });
      const session = await openSession({ path: modelPath }, { threads: 1 });
      try {
        const seen = await runSamples(session, source, (outputs) => {
          for (const [name, t] of outputs) assert.ok(toFloat32(t).every(Number.isFinite), `${file}: ${name} is finite`);
        });
        assert.equal(seen, 3);
      } finally {
        await session.release();
      }
    }
  });

  it('looks like the signal it stands for, not noise', () => {
    // IR face: dark pupils and a bright glint inside a lit face, on a dark cabin.
    const open = irFrame(new Rng(1), { yaw: 0, pitch: 0, eyesOpen: 1 });
    const closed = irFrame(new Rng(1), { yaw: 0, pitch: 0, eyesOpen: 0.05 });
    const at = (img: Float32Array, x: number, y: number) => img[y * irSide + x]!;
    assert.ok(at(open, 48, 55) > 3 * at(open, 2, 2), 'the face is brighter than the cabin corner');
    assert.ok(Math.min(...open) < 0.1 && Math.max(...open) > 0.9, 'pupils and a glint');
    assert.ok(Math.max(...closed) < 0.9, 'no glint with closed eyes');
    // Road surface: gravel vibrates the body more than dry asphalt; ice makes the driven wheels slip.
    const az = (w: Float32Array) => w.subarray(2 * chassisSteps, 3 * chassisSteps);
    const slip = (w: Float32Array) => variance(Array.from({ length: chassisSteps }, (_, t) => w[3 * chassisSteps + t]! / w[5 * chassisSteps + t]!));
    assert.ok(variance(az(chassisWindow(new Rng(2), 'gravel', 15))) > 10 * variance(az(chassisWindow(new Rng(2), 'dry', 15))));
    assert.ok(slip(chassisWindow(new Rng(3), 'ice', 10)) > 10 * slip(chassisWindow(new Rng(3), 'dry', 10)));
    // Battery: the voltage drops while discharge current flows (internal resistance).
    const w = batteryWindow(new Rng(4), { soc: 0.6, temp: 20, soh: 0.8, ambient: 15 }, 'drive');
    const v = Array.from({ length: 64 }, (_, t) => w[t * batteryFeatures]!);
    const i = Array.from({ length: 64 }, (_, t) => w[t * batteryFeatures + 1]!);
    const mv = v.reduce((a, b) => a + b) / 64;
    const mi = i.reduce((a, b) => a + b) / 64;
    assert.ok(v.reduce((s, x, t) => s + (x - mv) * (i[t]! - mi), 0) < 0, 'voltage and current are anti-correlated');
    // Radar: an occupied seat's range bin holds more micro-Doppler energy than an empty one.
    const energy = (frame: Float32Array, r: number) => frame.subarray(r * radarDoppler, (r + 1) * radarDoppler).reduce((a, b) => a + b, 0);
    const occupied = radarFrame(new Rng(5), { occupants: [{ seat: 'rearRight', who: 'child' }] }, 1);
    const empty = radarFrame(new Rng(5), { occupants: [] }, 1);
    assert.ok(energy(occupied, 10) > 1.15 * energy(empty, 10), `${energy(occupied, 10)} vs ${energy(empty, 10)}`);
    assert.ok(Math.abs(energy(occupied, 3) - energy(empty, 3)) < 0.5, 'the driver seat stays as it was');
  });
});
