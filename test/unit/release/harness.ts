import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { sha256File, nodeFileSystem } from '../../../src/core/fs';
import { validateStage } from '../../../src/core/pipeline/validateStage';
import { LayoutRegistry } from '../../../src/core/registry/layout/layoutRegistry';
import type { RegistryLocation } from '../../../src/core/registry/reference';
import type { Registry } from '../../../src/core/registry/registry';
import type { RunEvidence } from '../../../src/core/release/gates';
import { createKeyPair, loadSigningKey, type SigningKey } from '../../../src/core/release/keys';
import { releaseUseCase, type ReleaseOptions, type ReleaseReport } from '../../../src/core/release/release';

const sampleDir = resolve('samples', 'body');
export const sampleFile = 'cabin-occupancy.usecase.yaml';

/** A workspace with the cabin-occupancy sample (its model, calibration and replay data, and use case), a key and an embedded registry. */
export async function releaseWorkspace(): Promise<{ dir: string; file: string; registry: LayoutRegistry; key: SigningKey; publicKeyFile: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'aios-release-'));
  mkdirSync(join(dir, '.aios'));
  cpSync(join(sampleDir, 'models'), join(dir, 'models'), { recursive: true });
  cpSync(join(sampleDir, 'data', 'calib'), join(dir, 'data', 'calib'), { recursive: true });
  cpSync(join(sampleDir, 'data', 'replay'), join(dir, 'data', 'replay'), { recursive: true });
  cpSync(join(sampleDir, sampleFile), join(dir, sampleFile));
  const files = await createKeyPair(join(dir, 'keys'), 'test');
  return { dir, file: join(dir, sampleFile), registry: new LayoutRegistry(join(dir, '.aios', 'registry')), key: await loadSigningKey(files.privateKeyFile), publicKeyFile: files.publicKeyFile };
}

/** Rewrites `key: value` lines of the use case (e.g. version). */
export function editUseCase(file: string, edits: Record<string, string>): void {
  let text = readFileSync(file, 'utf8');
  for (const [key, value] of Object.entries(edits)) text = text.replace(new RegExp(`^(\\s*(?:- )?${key}:).*$`, 'm'), `$1 ${value}`);
  writeFileSync(file, text);
}

/** Run records as the profile and quantize jobs write them, for this model's bytes. */
export async function passingRuns(file: string, options: { sqnr?: number; fits?: boolean } = {}): Promise<RunEvidence[]> {
  const model = join(file, '..', 'models', 'occupancy-transformer.onnx');
  const sha256 = await sha256File(model);
  return [
    { id: 'q1', kind: 'quantize', status: 'succeeded', endedAt: '2026-12-01T10:00:00.000Z', inputs: [{ path: model, sha256 }], outputs: [], summary: { outputSqnrDb: options.sqnr ?? 45 } },
    {
      id: 'p1',
      kind: 'profile',
      status: 'succeeded',
      endedAt: '2026-12-01T11:00:00.000Z',
      inputs: [{ path: model, sha256 }],
      outputs: [],
      summary: { results: [{ target: 'nxp-imx8mp', fits: { latency: options.fits ?? true, memory: true, power: true } }] },
    },
  ];
}

export async function release(
  ws: { file: string; registry: Registry; key: SigningKey; location?: RegistryLocation },
  options: { runs?: readonly RunEvidence[]; force?: boolean; now?: Date; expiresInDays?: number; runNow?: ReleaseOptions['runNow'] } = {},
): Promise<ReleaseReport> {
  const checked = await validateStage().load(ws.file, { fs: nodeFileSystem });
  const loaded = checked.loaded;
  return releaseUseCase({
    file: ws.file,
    fileArgument: sampleFile,
    validation: {
      passed: checked.outcome.status === 'passed',
      detail: checked.outcome.detail,
      ...(loaded ? { loaded: { useCase: loaded.useCase, workspaceRoot: loaded.workspaceRoot, modelFile: loaded.model.path } } : {}),
    },
    registry: ws.registry,
    location: ws.location ?? { kind: 'local' },
    key: async () => ws.key,
    force: options.force ?? false,
    runs: options.runs ?? (await passingRuns(ws.file)),
    now: options.now ?? new Date(),
    ...(options.expiresInDays !== undefined ? { expiresInDays: options.expiresInDays } : {}),
    ...(options.runNow ? { runNow: options.runNow } : {}),
    available: { profile: true, quantize: true },
    env: {},
  });
}
