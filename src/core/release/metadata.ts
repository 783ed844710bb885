import { Metadata, MetadataKind, TargetFile, Targets, type Key } from '@tufjs/models';
import { z } from 'zod';
import { semverPattern } from '../usecase/semver';
import { signerOf, type SigningKey } from './keys';

/**
 * The signed release statement: TUF targets metadata (as an Uptane image repository signs it)
 * naming the artifact's manifest and every layer with sha256 and length, plus the release's
 * facts (repository, version, channel, rollout, hardware ids, gates passed by --force) in the
 * signed part. It is stored beside the artifact in the registry as an OCI referrer: a manifest
 * whose `subject` is the artifact's manifest, `artifactType` {@link releaseMetadataArtifactType},
 * with the metadata JSON as its one layer. `promote` adds another statement (higher TUF
 * version, the new channel and rollout) for the same artifact; the artifact itself never changes.
 */
export const releaseMetadataArtifactType = 'application/vnd.aios.release.metadata.v1+json';
export const releaseMetadataMediaType = 'application/vnd.aios.tuf.targets.v1+json';
/** The target path of the artifact's manifest in the statement. */
export const manifestTargetPath = 'manifest.json';
const releaseField = 'x-aios-release';

export const releaseFactsSchema = z.object({
  repository: z.string(),
  version: z.string().regex(semverPattern),
  channel: z.string(),
  rolloutPercent: z.number().min(0).max(100),
  hardwareIds: z.array(z.string()),
  /** Gates that failed and were passed with --force (empty when none). */
  forcedGates: z.array(z.string()),
  manifestDigest: z.string(),
});
export type ReleaseFacts = z.infer<typeof releaseFactsSchema>;

export interface StatementTarget {
  /** Path inside the artifact (`models/dms.onnx`), or {@link manifestTargetPath}. */
  readonly path: string;
  readonly digest: string;
  readonly size: number;
  readonly mediaType: string;
}

export interface SignStatementOptions {
  readonly facts: ReleaseFacts;
  readonly targets: readonly StatementTarget[];
  /** TUF version of this statement: 1 for the release, higher for each promotion. */
  readonly statementVersion: number;
  readonly expires: Date;
}

/** Builds and signs the statement; returns its JSON bytes (what goes into the registry). */
export function signStatement(options: SignStatementOptions, key: SigningKey): Uint8Array {
  const targets = new Targets({
    version: options.statementVersion,
    specVersion: '1.0.31',
    expires: options.expires.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    unrecognizedFields: { [releaseField]: { ...options.facts } },
  });
  for (const t of options.targets) {
    targets.addTarget(
      new TargetFile({
        path: t.path,
        length: t.size,
        hashes: { sha256: t.digest.replace(/^sha256:/, '') },
        unrecognizedFields: { custom: { mediaType: t.mediaType, hardwareIds: [...options.facts.hardwareIds] } },
      }),
    );
  }
  const metadata = new Metadata<Targets>(targets);
  metadata.sign(signerOf(key));
  return Buffer.from(`${JSON.stringify(metadata.toJSON(), null, 2)}\n`);
}

export interface ReadStatement {
  readonly metadata: Metadata<Targets>;
  readonly facts: ReleaseFacts;
  readonly targets: ReadonlyMap<string, { readonly digest: string; readonly size: number }>;
  readonly expires: string;
  readonly statementVersion: number;
}

/** Parses statement bytes; throws with a clear message when they are not a release statement. */
export function readStatement(bytes: Uint8Array): ReadStatement {
  let metadata: Metadata<Targets>;
  try {
    metadata = Metadata.fromJSON(MetadataKind.Targets, JSON.parse(Buffer.from(bytes).toString('utf8')) as Parameters<typeof Metadata.fromJSON>[1]);
  } catch (e) {
    throw new Error(`the release metadata is not TUF targets metadata (${e instanceof Error ? e.message : String(e)})`);
  }
  const facts = releaseFactsSchema.safeParse(metadata.signed.unrecognizedFields[releaseField]);
  if (!facts.success) throw new Error(`the release metadata has no valid '${releaseField}' section: ${facts.error.issues[0]?.message ?? ''}`);
  const targets = new Map<string, { digest: string; size: number }>();
  for (const [path, target] of Object.entries(metadata.signed.targets)) {
    const hex = target.hashes['sha256'];
    if (hex !== undefined) targets.set(path, { digest: `sha256:${hex}`, size: target.length });
  }
  return { metadata, facts: facts.data, targets, expires: metadata.signed.expires, statementVersion: metadata.signed.version };
}

/** Problems of the signature and expiry: empty when a trusted key signed it and it has not expired. */
export function checkSignature(statement: ReadStatement, trusted: readonly Key[], now: Date): string[] {
  const problems: string[] = [];
  const signedBy = Object.keys(statement.metadata.signatures);
  const verifiedBy = trusted.filter((key) => {
    try {
      key.verifySignature(statement.metadata);
      return true;
    } catch {
      return false;
    }
  });
  if (verifiedBy.length === 0) {
    const known = trusted.filter((k) => signedBy.includes(k.keyID));
    problems.push(
      known.length > 0
        ? `the signature by trusted key ${short(known[0]?.keyID)} does not verify: the release metadata was changed after signing`
        : `signed by ${signedBy.map(short).join(', ') || 'no key'}, which is not among the trusted keys (${trusted.map((k) => short(k.keyID)).join(', ')}): pass the right public key with --trust`,
    );
  }
  if (statement.metadata.signed.isExpired(now)) problems.push(`the release metadata expired on ${statement.expires}: release it again (or re-sign with promote) to renew it`);
  return problems;
}

function short(keyId: string | undefined): string {
  return keyId === undefined ? '?' : keyId.slice(0, 12);
}

/** Compares two semantic versions (precedence per SemVer 2.0.0; build metadata ignored). */
export function compareSemver(a: string, b: string): number {
  const parse = (v: string) => {
    const m = semverPattern.exec(v);
    if (!m) throw new Error(`'${v}' is not a semantic version`);
    return { core: [Number(m[1]), Number(m[2]), Number(m[3])], pre: m[4] === undefined ? [] : m[4].split('.') };
  };
  const x = parse(a);
  const y = parse(b);
  for (let i = 0; i < 3; i++) {
    const d = (x.core[i] ?? 0) - (y.core[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  if (x.pre.length === 0 || y.pre.length === 0) return x.pre.length === y.pre.length ? 0 : x.pre.length === 0 ? 1 : -1;
  for (let i = 0; i < Math.max(x.pre.length, y.pre.length); i++) {
    const p = x.pre[i];
    const q = y.pre[i];
    if (p === undefined) return -1;
    if (q === undefined) return 1;
    if (p === q) continue;
    const pn = /^\d+$/.test(p);
    const qn = /^\d+$/.test(q);
    if (pn && qn) return Math.sign(Number(p) - Number(q));
    if (pn !== qn) return pn ? -1 : 1;
    return p < q ? -1 : 1;
  }
  return 0;
}
