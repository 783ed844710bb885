/**
 * Writes the sample use cases' models (deterministic, synthetic weights) and their calibration
 * and replay data (.npy, generated signals; see samples/README.md) into samples/.
 * Run: node esbuild.mjs && node out/scripts/generate-samples.js
 */
import { mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { SAMPLE_DATA, SAMPLE_MODELS } from '../src/core/onnx/fixtures/samples';
import { writeModelFile } from '../src/core/onnx/write';
import { encodeNpy } from '../src/core/runtime/npy';

async function main(): Promise<void> {
  const samples = join(__dirname, '..', '..', 'samples');
  for (const sample of SAMPLE_MODELS) {
    const file = join(samples, sample.path);
    mkdirSync(dirname(file), { recursive: true });
    await writeModelFile(sample.make(), file);
    console.log(`${sample.path}  ${statSync(file).size} bytes`);
  }
  for (const set of SAMPLE_DATA) {
    // A data set is written whole: files of an older, longer version must not linger.
    rmSync(join(samples, set.folder), { recursive: true, force: true });
    let bytes = 0;
    const files = set.files();
    for (const { path, array } of files) {
      const file = join(samples, path);
      mkdirSync(dirname(file), { recursive: true });
      const encoded = encodeNpy(array);
      writeFileSync(file, encoded);
      bytes += encoded.length;
    }
    console.log(`${set.folder}/  ${files.length} files, ${bytes} bytes`);
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
});
