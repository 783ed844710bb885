import { splitDigest } from '../digest';
import { RegistryError, type Descriptor } from '../registry';

/** The OCI 1.1 fallback tag that indexes the referrers of `digest` where the registry has no referrers API. */
export function fallbackTag(digest: string): string {
  const { algorithm, hex } = splitDigest(digest);
  return `${algorithm}-${hex}`;
}

/** The `subject` digest of a manifest, if it has one. */
export function subjectOf(manifest: unknown): string | undefined {
  const digest = (manifest as { subject?: { digest?: unknown } } | null)?.subject?.digest;
  return typeof digest === 'string' ? digest : undefined;
}

export function parseIndex(bytes: Uint8Array, what: string): { manifests: Descriptor[] } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    throw new RegistryError('protocol', `${what} is not a JSON image index.`);
  }
  const manifests = (parsed as { manifests?: unknown } | null)?.manifests;
  if (!Array.isArray(manifests)) throw new RegistryError('protocol', `${what} is not an image index (no manifests list).`);
  return { manifests: manifests.filter(isDescriptor) };
}

function isDescriptor(value: unknown): value is Descriptor {
  const d = value as Partial<Descriptor> | null;
  return typeof d?.mediaType === 'string' && typeof d.digest === 'string' && typeof d.size === 'number';
}

export function mergeReferrer(index: readonly Descriptor[], referrer: Descriptor): Descriptor[] {
  return index.some((d) => d.digest === referrer.digest) ? [...index] : [...index, referrer];
}

export function removeReferrer(index: readonly Descriptor[], digest: string): Descriptor[] {
  return index.filter((d) => d.digest !== digest);
}
