/**
 * Writes the sample use cases' models (deterministic, synthetic weights) into samples/.
 * Run: node esbuild.mjs && node out/scripts/generate-samples.js
 */
import { mkdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { SAMPLE_MODELS } from '../src/core/onnx/fixtures/samples';
import { writeModelFile } from '../src/core/onnx/write';

async function main(): Promise<void> {
  const samples = join(__dirname, '..', '..', 'samples');
  for (const sample of SAMPLE_MODELS) {
    const file = join(samples, sample.path);
    mkdirSync(dirname(file), { recursive: true });
    await writeModelFile(sample.make(), file);
    console.log(`${sample.path}  ${statSync(file).size} bytes`);
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
});
