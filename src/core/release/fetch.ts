import type { Key } from '@tufjs/models';
import { randomBytes } from 'node:crypto';
import { createWriteStream, promises as fsp } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { Transform, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { formatReference, type Reference } from '../registry/reference';
import { isRegistryError, type Registry } from '../registry/registry';
import { compareSemver, manifestTargetPath, type ReleaseFacts } from './metadata';
import { findStatements, readManifest, type FoundStatement } from './statementStore';
import type { TrustStore } from './trustStore';

export interface FetchOptions {
  readonly registry: Registry;
  readonly reference: Reference;
  readonly trusted: readonly Key[];
  readonly trustStore: TrustStore;
  readonly now: Date;
  /** Pull: write the artifact's files here (only when everything verifies). Verify only when absent. */
  readonly outDir?: string;
  readonly signal?: AbortSignal;
  readonly progress?: (bytesDone: number, bytesTotal: number) => void;
}

export interface FetchReport {
  readonly reference: string;
  readonly digest: string | null;
  readonly verified: boolean;
  readonly problems: readonly string[];
  readonly version?: string;
  readonly channel?: string;
  readonly rolloutPercent?: number;
  readonly hardwareIds?: readonly string[];
  readonly forcedGates?: readonly string[];
  readonly files?: readonly string[];
}

/**
 * `aios verify` / `aios pull`: resolves the reference, finds the signed statement, checks the
 * signature against the trusted keys, expiry, that the statement names exactly this manifest and
 * its layers (sha256 and length), downloads every layer through the digest-verifying stream,
 * and refuses a version lower than one already seen for that repository and hardware id.
 * Pulled files are written to a temp folder renamed into place only when all of that passed.
 */
export async function fetchRelease(options: FetchOptions): Promise<FetchReport> {
  const { registry, reference, signal } = options;
  if (options.outDir !== undefined) await checkEmptyFolder(resolve(options.outDir));
  const shown = formatReference(reference);
  const repository = reference.repository;
  const problems: string[] = [];
  let manifest;
  try {
    manifest = await readManifest(registry, repository, reference.digest ?? reference.tag ?? '', signal);
  } catch (e) {
    if (isRegistryError(e, 'notFound') || isRegistryError(e, 'digestMismatch')) return { reference: shown, digest: null, verified: false, problems: [e.message] };
    throw e;
  }
  if (reference.digest !== undefined && reference.tag !== undefined) {
    const tagged = await registry.getManifest(repository, reference.tag, signal).catch(() => undefined);
    if (tagged?.digest !== reference.digest) problems.push(`${reference.tag} does not point at ${reference.digest}`);
  }
  const { found, unreadable } = await findStatements(registry, repository, manifest.digest, options.trusted, options.now, signal);
  const channelTag = reference.tag !== undefined && ['dev', 'validation', 'production'].includes(reference.tag) ? reference.tag : undefined;
  const valid = found.filter((f) => f.problems.length === 0);
  const chosen: FoundStatement | undefined = (channelTag ? valid.find((f) => f.statement.facts.channel === channelTag) : undefined) ?? valid[0];
  if (!chosen) {
    if (found.length === 0 && unreadable.length === 0) problems.push(`${shown} has no signed release metadata: it was not released by 'aios release' (or its metadata was removed)`);
    problems.push(...found.flatMap((f) => f.problems), ...unreadable);
    return { reference: shown, digest: manifest.digest, verified: false, problems: dedupe(problems) };
  }
  const facts: ReleaseFacts = chosen.statement.facts;
  if (channelTag && facts.channel !== channelTag) problems.push(`the channel tag '${channelTag}' points at a release signed for '${facts.channel}' only: promote it with 'aios promote'`);
  if (facts.repository !== repository && !repository.endsWith(`/${facts.repository}`)) problems.push(`the metadata was signed for repository ${facts.repository}, not ${repository}`);

  // The statement must name exactly this manifest and its layers.
  const targets = chosen.statement.targets;
  const manifestTarget = targets.get(manifestTargetPath);
  if (!manifestTarget || manifestTarget.digest !== manifest.digest || manifestTarget.size !== manifest.size) {
    problems.push(`the signed manifest hash or length differs from the manifest in the registry (${manifest.digest})`);
  }
  const layerPaths: string[] = [];
  for (const layer of manifest.layers) {
    const path = layer.annotations?.['org.opencontainers.image.title'] ?? layer.digest;
    layerPaths.push(path);
    const target = targets.get(path);
    if (!target) problems.push(`layer ${path} is not in the signed metadata`);
    else if (target.digest !== layer.digest || target.size !== layer.size) problems.push(`layer ${path}: the manifest says ${layer.digest} (${layer.size} bytes), the signed metadata ${target.digest} (${target.size} bytes)`);
  }
  for (const path of targets.keys()) if (path !== manifestTargetPath && !layerPaths.includes(path)) problems.push(`the signed file ${path} is missing from the artifact`);

  for (const hardwareId of facts.hardwareIds.length > 0 ? facts.hardwareIds : ['']) {
    const seen = await options.trustStore.seen(repository, hardwareId);
    if (seen !== undefined && compareSemver(facts.version, seen) < 0) {
      problems.push(`rollback refused: ${facts.version} is lower than ${seen}, already seen for ${repository}${hardwareId ? ` on ${hardwareId}` : ''}`);
    }
  }

  const base = {
    reference: shown,
    digest: manifest.digest,
    version: facts.version,
    channel: facts.channel,
    rolloutPercent: facts.rolloutPercent,
    hardwareIds: facts.hardwareIds,
    forcedGates: facts.forcedGates,
  };
  if (problems.length > 0) return { ...base, verified: false, problems: dedupe(problems) };

  // Download and check every layer (the stream errors on a digest or length mismatch).
  const staging = options.outDir !== undefined ? `${resolve(options.outDir)}.aios-pull-${randomBytes(4).toString('hex')}` : undefined;
  const total = manifest.layers.reduce((n, l) => n + l.size, 0);
  let done = 0;
  try {
    // A few layers at once (the model, its quantized copy and the reports are independent
    // downloads); each file's problems are kept in layer order.
    const layerProblems: string[][] = manifest.layers.map(() => []);
    const fetchLayer = async (i: number): Promise<void> => {
      const layer = manifest.layers[i]!;
      const path = layerPaths[i] ?? layer.digest;
      const sink = staging !== undefined ? await fileSink(staging, path) : discard();
      const stream = await registry.openBlob(repository, layer, signal);
      const counter = new Transform({
        transform(chunk: Buffer, _encoding, callback) {
          options.progress?.((done += chunk.length), total);
          callback(null, chunk);
        },
      });
      try {
        await pipeline(stream, counter, sink, signal ? { signal } : {});
      } catch (e) {
        if (isRegistryError(e, 'digestMismatch') || isRegistryError(e, 'notFound')) layerProblems[i]!.push(`layer ${path}: ${e.message}`);
        else throw e;
      }
    };
    let next = 0;
    let failed = false;
    const worker = async (): Promise<void> => {
      while (!failed && next < manifest.layers.length) {
        try {
          await fetchLayer(next++);
        } catch (e) {
          failed = true;
          throw e;
        }
      }
    };
    // Settled, not all: nothing may still write into the staging folder when it is removed.
    const settled = await Promise.allSettled(Array.from({ length: Math.min(parallelDownloads, manifest.layers.length) }, worker));
    const rejected = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (rejected) throw rejected.reason;
    problems.push(...layerProblems.flat());
    if (problems.length > 0) return { ...base, verified: false, problems };
    let files: string[] | undefined;
    if (staging !== undefined && options.outDir !== undefined) {
      await fsp.writeFile(join(staging, 'release-metadata.json'), chosen.bytes);
      await fsp.rmdir(resolve(options.outDir)).catch(() => undefined);
      await fsp.rename(staging, resolve(options.outDir));
      files = [...layerPaths, 'release-metadata.json'];
    }
    await options.trustStore.record(repository, facts.hardwareIds, facts.version);
    return { ...base, verified: true, problems: [], ...(files ? { files } : {}) };
  } finally {
    if (staging !== undefined) await fsp.rm(staging, { recursive: true, force: true });
  }
}

/** Layers downloaded at once by pull and verify. */
const parallelDownloads = 3;

/** Pull never mixes into or replaces existing files: the folder must be new or empty. */
export class PullTargetError extends Error {
  override readonly name = 'PullTargetError';
}

async function checkEmptyFolder(dir: string): Promise<void> {
  const entries = await fsp.readdir(dir).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return [];
    if (e.code === 'ENOTDIR') throw new PullTargetError(`${dir} is a file: pass a new or empty folder to --out`);
    throw e;
  });
  if (entries.length > 0) throw new PullTargetError(`${dir} is not empty: pass a new or empty folder to --out (pull never overwrites files)`);
}

async function fileSink(root: string, path: string): Promise<Writable> {
  const target = resolve(root, path);
  if (!target.startsWith(root + sep)) throw new Error(`the artifact names a file outside its folder (${path}): refused`);
  await fsp.mkdir(dirname(target), { recursive: true });
  return createWriteStream(target, { flags: 'wx' });
}

function discard(): Writable {
  return new Writable({ write: (_chunk, _encoding, callback) => callback() });
}

function dedupe(items: readonly string[]): string[] {
  return [...new Set(items)];
}
