import { cpSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeModelFile } from '../../../src/core/onnx/write';
import { cnnClassifier } from '../../../src/core/onnx/fixtures';
import type { HostInfo } from '../../../src/core/soc/catalog';

export const testHost: HostInfo = { cpuModel: 'Test CPU', logicalCores: 4, cpuMHz: 3000, totalMemoryBytes: 16 * 1024 ** 3 };

/** Input `image` float32 [1,1,32,32], output `gaze` float32 [1,10]; node names under /backbone and /head. */
export function tinyModel() {
  return cnnClassifier({ name: 'tiny', inputName: 'image', inputShape: [1, 1, 32, 32], stages: [4, 8], classes: 10, outputName: 'gaze' });
}

/**
 * A temporary workspace: `root/<folder>` holds a copy of `fixtures` (if given) plus the files
 * the broken fixtures refer to. Returns the workspace root and the folder.
 */
export async function makeWorkspace(fixtures?: string, folder = 'broken'): Promise<{ root: string; dir: string; outside: string }> {
  const base = mkdtempSync(join(tmpdir(), 'aios-ws-'));
  const root = join(base, 'ws');
  const dir = join(root, folder);
  mkdirSync(dir, { recursive: true });
  if (fixtures) cpSync(fixtures, dir, { recursive: true });
  mkdirSync(join(dir, 'models'), { recursive: true });
  await writeModelFile(tinyModel(), join(dir, 'models', 'tiny.onnx'));
  writeFileSync(join(dir, 'models', 'garbage.onnx'), Buffer.from('this is not a protobuf message \u0000\u0001\u00ff', 'utf8'));
  writeFileSync(join(dir, 'models', 'empty.onnx'), Buffer.alloc(0));
  // The first 300 bytes of a real model: a copy that stopped half-way.
  writeFileSync(join(dir, 'models', 'truncated.onnx'), readFileSync(join(dir, 'models', 'tiny.onnx')).subarray(0, 300));
  writeFileSync(join(dir, 'models', 'readme.onnx'), 'Model card for the DMS network.\nExport with export.py first.\n');
  const outside = join(base, 'outside.onnx');
  await writeModelFile(tinyModel(), outside);
  symlinkSync(outside, join(dir, 'models', 'escape.onnx'));
  mkdirSync(join(dir, 'data', 'empty'), { recursive: true });
  mkdirSync(join(dir, 'data', 'calib'), { recursive: true });
  writeFileSync(join(dir, 'data', 'calib', 'sample0.npy'), Buffer.alloc(16));
  mkdirSync(join(dir, 'data', 'text'), { recursive: true });
  writeFileSync(join(dir, 'data', 'text', 'samples.txt'), 'not numpy\n');
  // A folder per sample holding <input>.npy is a sample (SPEC §3); a folder of such folders is not.
  mkdirSync(join(dir, 'data', 'nested', 'day1', 'drive1'), { recursive: true });
  writeFileSync(join(dir, 'data', 'nested', 'day1', 'drive1', 'image.npy'), Buffer.alloc(16));
  mkdirSync(join(dir, 'docs'), { recursive: true });
  writeFileSync(join(dir, 'docs', 'evidence.md'), '# evidence\n');
  return { root, dir, outside };
}
