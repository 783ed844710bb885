/**
 * Release references (SPEC §3): `oci://host[:port]/repo:tag`, `oci://host[:port]/repo@sha256:…`,
 * `local:repo:tag` (the embedded registry), and the registry locations of a use case's
 * `release.registry` / `--registry`: `local` or `oci://host[:port][/namespace]`.
 */

/** Where a registry is: the embedded layout, or an OCI Distribution registry at `host[:port]`. */
export type RegistryLocation =
  | { readonly kind: 'local' }
  | {
      readonly kind: 'oci';
      /** `host` or `host:port` (IPv6 in brackets), lower-cased; what goes in URLs and credential look-ups. */
      readonly authority: string;
      /** A repository prefix (`team/models`), when the location names one. */
      readonly namespace?: string;
    };

/** One repository of a registry, optionally pinned to a tag and/or a digest. */
export interface Reference {
  readonly registry: RegistryLocation;
  readonly repository: string;
  readonly tag?: string;
  readonly digest?: string;
}

export type ParseResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

// OCI Distribution spec grammar for names, tags and digests.
const component = '[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*';
const repositoryPattern = new RegExp(`^${component}(?:/${component})*$`);
const tagPattern = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/;
const digestPattern = /^(sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128})$/;
const hostPattern = /^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*|\[[0-9a-f:.]+\])(?::(\d{1,5}))?$/;

const forms = '`oci://host[:port]/repo:tag`, `oci://host[:port]/repo@sha256:<hex>` or `local:repo:tag`';

export function isRepositoryName(name: string): boolean {
  return name.length <= 255 && repositoryPattern.test(name);
}

export function isTag(tag: string): boolean {
  return tagPattern.test(tag);
}

export function isDigest(digest: string): boolean {
  return digestPattern.test(digest);
}

/**
 * Parses a release reference. With `requireTarget` (the default) it must name a tag or a
 * digest; without, a bare repository (`local:aios/dms`) is accepted too.
 */
export function parseReference(text: string, options: { requireTarget?: boolean } = {}): ParseResult<Reference> {
  const input = text.trim();
  let registry: RegistryLocation;
  let rest: string;
  if (input.startsWith('local:')) {
    registry = { kind: 'local' };
    rest = input.slice('local:'.length);
  } else if (input.startsWith('oci://')) {
    const afterScheme = input.slice('oci://'.length);
    const slash = afterScheme.indexOf('/');
    const authority = slash < 0 ? afterScheme : afterScheme.slice(0, slash);
    const host = parseAuthority(authority, input);
    if (!host.ok) return host;
    registry = { kind: 'oci', authority: host.value };
    rest = slash < 0 ? '' : afterScheme.slice(slash + 1);
  } else if (/^[a-z][a-z0-9+.-]*:\/\//i.test(input)) {
    return fail(`'${input}' uses the scheme '${input.slice(0, input.indexOf(':'))}://'; a release reference is ${forms}`);
  } else {
    return fail(`'${input}' is not a release reference: write ${forms}`);
  }

  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!isDigest(digest)) return fail(`'${digest}' in '${input}' is not a digest: write sha256: and 64 lower-case hex digits`);
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon >= 0 && !rest.slice(colon + 1).includes('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!isTag(tag)) {
      return fail(`'${tag}' in '${input}' is not a valid tag: up to 128 letters, digits, '_', '.', '-', not starting with '.' or '-'`);
    }
  }
  if (rest === '') return fail(`'${input}' names no repository: write ${forms}`);
  if (!isRepositoryName(rest)) {
    return fail(
      `'${rest}' in '${input}' is not a valid repository name: lower-case letters and digits, separated by '.', '_', '-' or '/' (e.g. aios/driver-monitoring)`,
    );
  }
  if ((options.requireTarget ?? true) && tag === undefined && digest === undefined) {
    return fail(`'${input}' names no version: add ':<tag>' (e.g. ':1.3.0' or ':production') or '@sha256:<digest>'`);
  }
  return {
    ok: true,
    value: { registry, repository: rest, ...(tag !== undefined ? { tag } : {}), ...(digest !== undefined ? { digest } : {}) },
  };
}

/** Parses `local` or `oci://host[:port][/namespace]` (a use case's `release.registry`, `--registry`). */
export function parseRegistryLocation(text: string): ParseResult<RegistryLocation> {
  const input = text.trim();
  if (input === 'local') return { ok: true, value: { kind: 'local' } };
  if (!input.startsWith('oci://')) {
    return fail(`'${input}' is not a registry: write 'local' (the embedded registry) or oci://host[:port][/namespace]`);
  }
  const afterScheme = input.slice('oci://'.length).replace(/\/+$/, '');
  const slash = afterScheme.indexOf('/');
  const host = parseAuthority(slash < 0 ? afterScheme : afterScheme.slice(0, slash), input);
  if (!host.ok) return host;
  const namespace = slash < 0 ? '' : afterScheme.slice(slash + 1);
  if (namespace !== '' && !isRepositoryName(namespace)) {
    return fail(`'${namespace}' in '${input}' is not a valid repository namespace: lower-case letters and digits, separated by '.', '_', '-' or '/'`);
  }
  return { ok: true, value: { kind: 'oci', authority: host.value, ...(namespace !== '' ? { namespace } : {}) } };
}

/** The repository a use case's `release.repository` lands in at `location` (prefixed by its namespace). */
export function repositoryAt(location: RegistryLocation, repository: string): string {
  return location.kind === 'oci' && location.namespace !== undefined ? `${location.namespace}/${repository}` : repository;
}

/** The canonical text of a reference: what `parseReference` reads back to the same value. */
export function formatReference(reference: Reference): string {
  const prefix = reference.registry.kind === 'local' ? 'local:' : `oci://${reference.registry.authority}/`;
  return `${prefix}${reference.repository}${reference.tag !== undefined ? `:${reference.tag}` : ''}${reference.digest !== undefined ? `@${reference.digest}` : ''}`;
}

export function formatRegistryLocation(location: RegistryLocation): string {
  if (location.kind === 'local') return 'local';
  return `oci://${location.authority}${location.namespace !== undefined ? `/${location.namespace}` : ''}`;
}

/** The same registry (namespaces aside)? */
export function sameRegistry(a: RegistryLocation, b: RegistryLocation): boolean {
  return a.kind === b.kind && (a.kind === 'local' || (b.kind === 'oci' && a.authority === b.authority));
}

function parseAuthority(authority: string, input: string): ParseResult<string> {
  if (authority.includes('@')) {
    return fail(`'${input}' carries credentials: remove 'user:password@' (credentials never go into references, settings or logs: the editor keeps them in its secret storage, the CLI reads them from the registry's login)`);
  }
  if (authority === '') return fail(`'${input}' names no registry host: write oci://host[:port]/...`);
  const lower = authority.toLowerCase();
  const match = hostPattern.exec(lower);
  if (!match) return fail(`'${authority}' in '${input}' is not a host[:port]`);
  const port = match[1];
  if (port !== undefined && (Number(port) < 1 || Number(port) > 65535)) return fail(`port ${port} in '${input}' is not between 1 and 65535`);
  return { ok: true, value: lower };
}

function fail<T>(error: string): ParseResult<T> {
  return { ok: false, error };
}
