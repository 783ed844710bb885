import { formatReference, type Reference } from '../registry/reference';
import type { Registry } from '../registry/registry';
import type { SigningKey } from './keys';
import { signStatement } from './metadata';
import { findStatements, pushStatement, readManifest } from './statementStore';

export const channels = ['dev', 'validation', 'production'] as const;

export interface PromoteOptions {
  readonly registry: Registry;
  readonly reference: Reference;
  readonly channel: string;
  /** Rollout percent for the new channel; the release's own when absent. */
  readonly rolloutPercent?: number;
  readonly key: SigningKey;
  readonly now: Date;
  readonly expiresInDays?: number;
  readonly signal?: AbortSignal;
}

export class PromoteError extends Error {
  override readonly name = 'PromoteError';
}

/**
 * `aios promote`: moves a channel tag to a release that is already signed. The release's
 * statement must verify with the promoting key; a new statement (TUF version + 1, the new
 * channel and rollout, same targets) is signed and stored beside it, then the tag moves. The
 * artifact is unchanged, so its digest stays the same.
 */
export async function promoteRelease(options: PromoteOptions): Promise<{ reference: string; channel: string; digest: string; rolloutPercent: number }> {
  const { registry, reference, signal } = options;
  if (!(channels as readonly string[]).includes(options.channel)) throw new PromoteError(`'${options.channel}' is not a channel: use ${channels.join(', ')}`);
  const manifest = await readManifest(registry, reference.repository, reference.digest ?? reference.tag ?? '', signal);
  const { found } = await findStatements(registry, reference.repository, manifest.digest, [options.key.publicKey], options.now, signal);
  const base = found.find((f) => f.problems.length === 0);
  if (!base) {
    const why = found.flatMap((f) => f.problems)[0] ?? 'it has no release metadata';
    throw new PromoteError(`${formatReference(reference)} is not a release signed with this key (${why}): release it with 'aios release' first, or pass the key that signed it with --key`);
  }
  const previous = base.statement;
  const rolloutPercent = options.rolloutPercent ?? previous.facts.rolloutPercent;
  const statement = signStatement(
    {
      facts: { ...previous.facts, channel: options.channel, rolloutPercent },
      targets: [...previous.metadata.signed.targets ? Object.values(previous.metadata.signed.targets) : []].map((t) => ({
        path: t.path,
        digest: `sha256:${t.hashes['sha256'] ?? ''}`,
        size: t.length,
        mediaType: String((t.custom as { mediaType?: unknown }).mediaType ?? ''),
      })),
      statementVersion: Math.max(...found.map((f) => f.statement.statementVersion)) + 1,
      expires: new Date(options.now.getTime() + (options.expiresInDays ?? 365) * 86_400_000),
    },
    options.key,
  );
  const mediaType = manifest.storedMediaType;
  await pushStatement(registry, reference.repository, { mediaType, digest: manifest.digest, size: manifest.size }, statement, options.now, signal);
  const bytes = (await registry.getManifest(reference.repository, manifest.digest, signal)).bytes;
  await registry.pushManifest(reference.repository, options.channel, bytes, mediaType, signal);
  return { reference: formatReference({ registry: reference.registry, repository: reference.repository, tag: options.channel }), channel: options.channel, digest: manifest.digest, rolloutPercent };
}
