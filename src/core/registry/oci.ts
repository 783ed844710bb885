import { z } from 'zod';
import type { Descriptor } from './registry';

/** OCI image-spec 1.1 media types. */
export const ociMediaTypes = {
  imageManifest: 'application/vnd.oci.image.manifest.v1+json',
  imageIndex: 'application/vnd.oci.image.index.v1+json',
  layoutHeader: 'application/vnd.oci.layout.header.v1+json',
  /** The config of an artifact that has no config of its own. */
  empty: 'application/vnd.oci.empty.v1+json',
} as const;

/** The empty JSON `{}` descriptor (image-spec 1.1 guidance for artifacts). */
export const emptyConfig = {
  mediaType: ociMediaTypes.empty,
  digest: 'sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a',
  size: 2,
  data: 'e30=',
} as const;

/** Standard annotation keys. */
export const ociAnnotations = {
  refName: 'org.opencontainers.image.ref.name',
  created: 'org.opencontainers.image.created',
  version: 'org.opencontainers.image.version',
  source: 'org.opencontainers.image.source',
  revision: 'org.opencontainers.image.revision',
  title: 'org.opencontainers.image.title',
  description: 'org.opencontainers.image.description',
} as const;

const digestString = z.string().regex(/^(sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128})$/, 'a sha256 or sha512 digest');

export const descriptorSchema = z.object({
  mediaType: z.string().min(1),
  digest: digestString,
  size: z.number().int().nonnegative(),
  artifactType: z.string().optional(),
  annotations: z.record(z.string(), z.string()).optional(),
  urls: z.array(z.string()).optional(),
  data: z.string().optional(),
  platform: z.unknown().optional(),
});

/** Unknown keys are kept: a manifest we read and push again must keep its exact bytes anyway. */
export const imageManifestSchema = z.looseObject({
  schemaVersion: z.literal(2),
  mediaType: z.literal(ociMediaTypes.imageManifest).optional(),
  artifactType: z.string().optional(),
  config: descriptorSchema,
  layers: z.array(descriptorSchema),
  subject: descriptorSchema.optional(),
  annotations: z.record(z.string(), z.string()).optional(),
});
export type ImageManifest = z.infer<typeof imageManifestSchema>;

export const imageIndexSchema = z.looseObject({
  schemaVersion: z.literal(2),
  mediaType: z.literal(ociMediaTypes.imageIndex).optional(),
  artifactType: z.string().optional(),
  manifests: z.array(descriptorSchema),
  subject: descriptorSchema.optional(),
  annotations: z.record(z.string(), z.string()).optional(),
});
export type ImageIndex = z.infer<typeof imageIndexSchema>;

/** Parses manifest bytes as JSON of `schema`; a `RegistryError`-free result so callers word the message. */
export function parseJson<T>(bytes: Uint8Array, schema: z.ZodType<T>): { ok: true; value: T } | { ok: false; error: string } {
  let raw: unknown;
  try {
    raw = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (e) {
    return { ok: false, error: `not JSON (${e instanceof Error ? e.message : String(e)})` };
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, error: `${issue?.path.join('.') || 'document'}: ${issue?.message ?? 'invalid'}` };
  }
  return { ok: true, value: parsed.data };
}

/** The descriptor of a manifest with these bytes, as an index or referrers list names it. */
export function manifestDescriptor(manifest: ImageManifest, digest: string, size: number): Descriptor {
  return {
    mediaType: manifest.mediaType ?? ociMediaTypes.imageManifest,
    digest,
    size,
    ...(manifest.artifactType !== undefined ? { artifactType: manifest.artifactType } : manifest.config.mediaType !== ociMediaTypes.empty ? { artifactType: manifest.config.mediaType } : {}),
    ...(manifest.annotations !== undefined ? { annotations: manifest.annotations } : {}),
  };
}
