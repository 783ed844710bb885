import { execFile } from 'node:child_process';
import { existsSync, promises as fsp } from 'node:fs';
import { dirname, relative, resolve, sep } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { sha256File } from '../fs';
import { readRegularFile } from '../files/regularFile';
import { formatReference, repositoryAt, type RegistryLocation } from '../registry/reference';
import { isRegistryError, type Registry } from '../registry/registry';
import { isSemver } from '../usecase/semver';
import { useCaseSchema, type UseCase } from '../usecase/schema';
import { artifactMediaTypes, buildArtifact, partPath, reportBytes, type ArtifactPart, type BuiltArtifact } from './artifact';
import { budgetsGate, matchingRun, sqnrGate, type GateResult, type RunEvidence } from './gates';
import type { SigningKey } from './keys';
import type { ReplayResult } from '../replay/result';
import { compareSemver, manifestTargetPath, signStatement } from './metadata';
import { pushStatement, readManifest } from './statementStore';

export interface ReleaseOptions {
  /** Absolute path of the use case. */
  readonly file: string;
  /** For hints in gate details: how the user named the use case. */
  readonly fileArgument: string;
  /** The result of validating the use case (the validate stage), with what it loaded when it passed. */
  readonly validation: ValidationOutcome;
  readonly registry: Registry;
  readonly location: RegistryLocation;
  /** Loaded lazily: a release that stops at a gate never needs the key. */
  readonly key: () => Promise<SigningKey>;
  readonly force: boolean;
  /** Run records to take quantize and profile results from (newest matching wins). */
  readonly runs: readonly RunEvidence[];
  readonly now: Date;
  readonly expiresInDays?: number;
  readonly available: { readonly profile: boolean; readonly quantize: boolean };
  /** Gates already decided by stages of this pipeline run (e.g. the profile stage passed), used instead of run records. */
  readonly decided?: Partial<Record<'budgets' | 'sqnr', GateResult>>;
  /**
   * Runs the quantize or profile job of this use case now, when a gate needs its result and no
   * run of the exact model is recorded; resolves with the new run's record once it has ended
   * (whatever its status). Without it, such a gate fails and says which command to run.
   */
  readonly runNow?: (kind: EvidenceKind) => Promise<RunEvidence>;
  /** The closed-loop replay of the use case's recorded data, packed as reports/replay.json (the run's replay). */
  readonly replay?: ReplaySummary;
  readonly env?: NodeJS.ProcessEnv;
  readonly signal?: AbortSignal;
  readonly progress?: (stage: string, bytesDone: number, bytesTotal: number) => void;
}

export type EvidenceKind = 'quantize' | 'profile';

export interface ValidationOutcome {
  readonly passed: boolean;
  readonly detail: string;
  readonly loaded?: { readonly useCase: UseCase; readonly workspaceRoot: string; readonly modelFile: string };
}

export interface ReleaseReport {
  readonly reference: string;
  readonly digest: string;
  readonly version: string;
  readonly channel: string;
  readonly gates: readonly GateResult[];
  readonly bytesUploaded: number;
  /** True when it was pushed (or was already there identically); false when a gate stopped it. */
  readonly released: boolean;
  /** The same version with the same content was already in the registry: nothing was pushed. */
  readonly unchanged: boolean;
  readonly forcedGates: readonly string[];
}

/** A replay as packed into a release: its figures, with the data folder relative to the use case (no machine paths). */
export type ReplaySummary = ReplayResult;

export class ReleaseInputError extends Error {
  override readonly name = 'ReleaseInputError';
}

/**
 * `aios release`: gates, pack, sign, push. Pushes every blob, then the manifest by digest, then
 * the signed statement (a referrer), and only then the version and channel tags, so a tag never
 * points at something half-published or unsigned.
 */
export async function releaseUseCase(options: ReleaseOptions): Promise<ReleaseReport> {
  const { signal } = options;
  const loaded = options.validation;
  const validation: GateResult = { name: 'validation', passed: loaded.passed, detail: loaded.detail };
  const useCase = loaded.loaded?.useCase ?? (await parseLeniently(options.file));
  const release = useCase.release;
  if (!release) throw new ReleaseInputError(`${options.fileArgument} has no release: section: add release.repository and release.version`);
  if (!isSemver(release.version)) throw new ReleaseInputError(`release.version '${release.version}' is not a semantic version (e.g. 1.3.0)`);
  const gatesOn = release.gates;
  const validationGate: GateResult = gatesOn.validation ? validation : { name: 'validation', passed: true, detail: `off (release.gates.validation: false); ${validation.detail}` };

  const root = loaded.loaded?.workspaceRoot ?? dirname(options.file);
  const modelFile = loaded.loaded?.modelFile ?? resolve(dirname(options.file), useCase.model.path);
  if (!existsSync(modelFile)) throw new ReleaseInputError(`the model ${useCase.model.path} does not exist: fix model.path in ${options.fileArgument}`);
  const modelSha = await sha256File(modelFile);
  // The newest run of the exact model decides a gate; without one, the release runs it now (runNow).
  const evidenceFor = async (kind: EvidenceKind, decided: GateResult | undefined, gateOf: (run: RunEvidence | undefined) => GateResult) => {
    const run = matchingRun(options.runs, kind, modelSha);
    const gate = decided ?? gateOf(run);
    if (!gate.noEvidence || !options.runNow || !options.available[kind] || !loaded.passed) return { run, gate };
    const now = await runNowFor(options.runNow, kind, modelSha, signal);
    return { run: now.run, gate: now.failure ?? gateOf(now.run) };
  };
  // Quantize before profile, as the pipeline does.
  const { run: quantizeRun, gate: sqnr } = await evidenceFor('quantize', options.decided?.sqnr, (run) => sqnrGate(useCase, run, modelSha, options.fileArgument, options.available.quantize));
  const { run: profileRun, gate: budgets } = await evidenceFor('profile', options.decided?.budgets, (run) => budgetsGate(useCase, run, modelSha, options.fileArgument, options.available.profile));

  const repository = repositoryAt(options.location, release.repository);
  const artifact = await buildArtifact(await artifactParts(options.file, modelFile, useCase, quantizeRun, profileRun, options.replay), {
    useCase,
    version: release.version,
    created: await createdFrom(options.file, root, [quantizeRun, profileRun], options.env ?? process.env),
    ...(await gitFacts(root)),
  });
  const { gate: versionGate, unchanged } = await versionCheck(options.registry, repository, release.version, artifact, signal);

  const gates = [validationGate, budgets, sqnr, versionGate].map((g) => (!g.passed && options.force ? { ...g, forced: true } : g));
  const forcedGates = gates.filter((g) => g.forced).map((g) => g.name);
  const reference = formatReference({ registry: options.location, repository, tag: release.version });
  const report = { reference, digest: artifact.digest, version: release.version, channel: release.channel, gates, forcedGates };
  if (gates.some((g) => !g.passed && !g.forced)) return { ...report, bytesUploaded: 0, released: false, unchanged: false };
  if (unchanged) return { ...report, bytesUploaded: 0, released: true, unchanged: true };

  const key = await options.key();
  const total = artifact.blobs.reduce((n, b) => n + b.size, 0);
  let uploaded = 0;
  let done = 0;
  for (const blob of artifact.blobs) {
    const before = done;
    const result = await options.registry.pushBlob(repository, blob, {
      ...(signal ? { signal } : {}),
      progress: (bytes) => options.progress?.('upload', before + bytes, total),
    });
    uploaded += result.uploaded;
    done += blob.size;
    options.progress?.('upload', done, total);
  }
  const mediaType = 'application/vnd.oci.image.manifest.v1+json';
  await options.registry.pushManifest(repository, artifact.digest, artifact.manifest, mediaType, signal);
  const statement = signStatement(
    {
      facts: {
        repository,
        version: release.version,
        channel: release.channel,
        rolloutPercent: release.rollout.percent,
        hardwareIds: useCase.deployment?.ecu !== undefined ? [useCase.deployment.ecu] : [],
        forcedGates,
        manifestDigest: artifact.digest,
      },
      targets: [
        { path: manifestTargetPath, digest: artifact.digest, size: artifact.manifest.length, mediaType },
        ...artifact.layers.map((l) => ({ path: l.annotations?.['org.opencontainers.image.title'] ?? l.digest, digest: l.digest, size: l.size, mediaType: l.mediaType })),
      ],
      statementVersion: 1,
      expires: new Date(options.now.getTime() + (options.expiresInDays ?? 365) * 86_400_000),
    },
    key,
  );
  await pushStatement(options.registry, repository, { mediaType, digest: artifact.digest, size: artifact.manifest.length }, statement, options.now, signal);
  await options.registry.pushManifest(repository, release.version, artifact.manifest, mediaType, signal);
  await options.registry.pushManifest(repository, release.channel, artifact.manifest, mediaType, signal);
  return { ...report, bytesUploaded: uploaded + artifact.manifest.length + statement.length, released: true, unchanged: false };
}

/** The run `runNow` started, when it succeeded on the exact model bytes the release packs; else the failed gate saying why. */
async function runNowFor(runNow: (kind: EvidenceKind) => Promise<RunEvidence>, kind: EvidenceKind, modelSha: string, signal?: AbortSignal): Promise<{ run?: RunEvidence; failure?: GateResult }> {
  const run = await runNow(kind);
  signal?.throwIfAborted();
  const name = kind === 'quantize' ? 'sqnr' : 'budgets';
  if (run.status !== 'succeeded') return { failure: { name, passed: false, detail: `the ${kind} run ${run.id} started for this release ${run.status}${run.error ? `: ${run.error}` : ''}` } };
  const matching = matchingRun([run], kind, modelSha);
  return matching ? { run: matching } : { failure: { name, passed: false, detail: `the ${kind} run ${run.id} started for this release did not read this model (sha256 ${modelSha.slice(0, 12)})` } };
}

/** The use case's release.registry, read leniently (for a use case that does not validate). */
export async function releaseRegistryOf(file: string): Promise<string | undefined> {
  try {
    const raw = parseYaml(new TextDecoder().decode(await readRegularFile(file))) as { release?: { registry?: unknown } } | null;
    return typeof raw?.release?.registry === 'string' ? raw.release.registry : undefined;
  } catch {
    return undefined;
  }
}

async function parseLeniently(file: string): Promise<UseCase> {
  let raw: unknown;
  try {
    raw = parseYaml(new TextDecoder().decode(await readRegularFile(file)));
  } catch (e) {
    throw new ReleaseInputError(`${file} cannot be read as YAML (${e instanceof Error ? e.message : String(e)}): run 'aios validate ${file}'`);
  }
  const parsed = useCaseSchema.safeParse(raw);
  if (!parsed.success) throw new ReleaseInputError(`${file} does not pass the use-case schema, so there is nothing to release (not even with --force): run 'aios validate ${file}' and fix the errors`);
  return parsed.data;
}

async function artifactParts(file: string, modelFile: string, useCase: UseCase, quantizeRun: RunEvidence | undefined, profileRun: RunEvidence | undefined, replay: ReplaySummary | undefined): Promise<ArtifactPart[]> {
  const parts: ArtifactPart[] = [{ path: partPath('models', modelFile), mediaType: artifactMediaTypes.weightRaw, source: { file: modelFile }, annotations: { 'aios.precision': 'fp32' } }];
  if (quantizeRun) {
    const quantized = quantizeRun.outputs.find((o) => o.path.endsWith('.onnx') && existsSync(o.path));
    if (quantized && (await sha256File(quantized.path)) === quantized.sha256) {
      const path = partPath('models', quantized.path);
      parts.push({
        path: path === parts[0]?.path ? `models/quantized/${path.slice('models/'.length)}` : path,
        mediaType: artifactMediaTypes.weightRaw,
        source: { file: quantized.path },
        annotations: { 'aios.precision': useCase.quantization?.precision ?? 'int8' },
      });
    }
    parts.push({ path: 'reports/quantization.json', mediaType: artifactMediaTypes.quantizationReport, source: { bytes: reportBytes({ runId: quantizeRun.id, summary: quantizeRun.summary }) } });
  }
  if (profileRun) parts.push({ path: 'reports/profile.json', mediaType: artifactMediaTypes.profileReport, source: { bytes: reportBytes({ runId: profileRun.id, summary: profileRun.summary }) } });
  if (replay) {
    // The figures a fleet operator checks, also on the layer, so they show without fetching it.
    const annotations = { 'aios.replay.capturesPerDay': replay.capturesPerDay.toFixed(2), 'aios.replay.uplinkBytesPerDay': String(Math.round(replay.uplinkBytesPerDay)), 'aios.replay.withinMaxPerDay': String(replay.withinMaxPerDay) };
    parts.push({ path: 'reports/replay.json', mediaType: artifactMediaTypes.replayReport, source: { bytes: reportBytes(replay) }, annotations });
  }
  parts.push({ path: partPath('usecase', file), mediaType: artifactMediaTypes.useCase, source: { file } });
  for (const evidence of useCase.safety?.evidence ?? []) {
    const path = resolve(dirname(file), evidence);
    const inside = relative(dirname(file), path).split(sep).join('/');
    if (existsSync(path)) parts.push({ path: `evidence/${inside.replace(/^(\.\.\/)+/, '')}`, mediaType: artifactMediaTypes.docRaw, source: { file: path } });
  }
  return parts;
}

/**
 * The artifact's `created`: SOURCE_DATE_EPOCH when set (reproducible builds), else the end of
 * the newest run it packs, else the use case's last commit, else its modification time. Never
 * "now", so the same inputs give the same manifest bytes.
 */
async function createdFrom(file: string, root: string, runs: ReadonlyArray<RunEvidence | undefined>, env: NodeJS.ProcessEnv): Promise<string> {
  const epoch = env['SOURCE_DATE_EPOCH'];
  if (epoch !== undefined && /^\d+$/.test(epoch)) return rfc3339(new Date(Number(epoch) * 1000));
  const ended = runs.map((r) => r?.endedAt).filter((t): t is string => typeof t === 'string').sort().pop();
  if (ended !== undefined) return rfc3339(new Date(ended));
  const committed = await git(root, ['log', '-1', '--format=%cI', '--', file]);
  if (committed) return rfc3339(new Date(committed));
  return rfc3339((await fsp.stat(file)).mtime);
}

function rfc3339(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

async function gitFacts(root: string): Promise<{ source?: string; revision?: string }> {
  const [source, revision] = await Promise.all([git(root, ['remote', 'get-url', 'origin']), git(root, ['rev-parse', 'HEAD'])]);
  // A remote URL may carry credentials (https://user:token@host/...): never copy those.
  const clean = source?.replace(/^(\w+:\/\/)[^@/]+@/, '$1');
  return { ...(clean ? { source: clean } : {}), ...(revision && /^[0-9a-f]{40,64}$/.test(revision) ? { revision } : {}) };
}

function git(cwd: string, args: string[]): Promise<string | undefined> {
  return new Promise((done) => {
    execFile('git', args, { cwd, timeout: 5_000 }, (error, stdout) => done(error ? undefined : stdout.trim() || undefined));
  });
}

/** Gate `version`: higher than every version in the repository; the same version is fine only with the same content. */
async function versionCheck(registry: Registry, repository: string, version: string, artifact: BuiltArtifact, signal?: AbortSignal): Promise<{ gate: GateResult; unchanged: boolean }> {
  const name = 'version';
  const versions = (await registry.listTags(repository, signal)).filter(isSemver).sort(compareSemver);
  if (versions.includes(version)) {
    let existing;
    try {
      existing = await readManifest(registry, repository, version, signal);
    } catch (e) {
      if (!isRegistryError(e, 'notFound')) throw e;
    }
    const same = existing !== undefined && sameLayers(existing.layers, artifact.layers);
    return same
      ? { gate: { name, passed: true, detail: `${version} is already released with the same content: nothing to push` }, unchanged: true }
      : { gate: { name, passed: false, detail: `${version} is already released in ${repository} with different content: raise release.version` }, unchanged: false };
  }
  const latest = versions.at(-1);
  if (latest === undefined) return { gate: { name, passed: true, detail: `first release of ${repository}` }, unchanged: false };
  return compareSemver(version, latest) > 0
    ? { gate: { name, passed: true, detail: `${version} > ${latest} (the latest in ${repository})` }, unchanged: false }
    : { gate: { name, passed: false, detail: `${version} is not higher than ${latest}, the latest in ${repository}: raise release.version` }, unchanged: false };
}

function sameLayers(a: ReadonlyArray<{ digest: string; annotations?: Record<string, string> | undefined }>, b: ReadonlyArray<{ digest: string; annotations?: Readonly<Record<string, string>> | undefined }>): boolean {
  const key = (l: { digest: string; annotations?: Readonly<Record<string, string>> | undefined }) => `${l.annotations?.['org.opencontainers.image.title'] ?? ''}=${l.digest}`;
  return a.length === b.length && a.map(key).sort().join('\n') === b.map(key).sort().join('\n');
}
