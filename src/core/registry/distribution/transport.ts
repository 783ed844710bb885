import type { CredentialStore, RegistryCredentials } from '../credentials/credentials';
import { abortableDelay, defaultRetryPolicy, retryDelayMs, type RetryPolicy } from './backoff';
import { parseChallenges, type Challenge } from './challenge';
import { streamRequest } from './streamUpload';
import { RegistryError } from '../registry';
import { distributionError } from './errors';

export interface TransportOptions {
  /** `name[:port]` as written in `oci://host/...`. */
  readonly host: string;
  readonly credentials: CredentialStore;
  /** Speak plain HTTP instead of HTTPS (default: only for loopback hosts). */
  readonly plainHttp?: boolean;
  readonly retry?: RetryPolicy;
  /** A request that shows no progress (no response headers, no body bytes) for this long is cut and retried. */
  readonly idleTimeoutMs?: number;
  /** One line per request (method, path, status); never headers, bodies or credentials. */
  readonly log?: (line: string) => void;
  readonly fetch?: typeof fetch;
  readonly random?: () => number;
}

/** The repository a request acts on and what it does there, for the bearer token's scope. */
export interface Scope {
  readonly repository?: string;
  readonly actions: 'pull' | 'pull,push' | 'delete' | '*';
  /** Also pull from this repository (cross-repository mount). */
  readonly alsoPullFrom?: string;
}

export interface RegistryRequest {
  readonly method: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** A path below the registry (`/v2/...`) or an absolute URL the registry returned (upload locations). */
  readonly url: string;
  readonly scope: Scope;
  readonly headers?: Readonly<Record<string, string>>;
  /** Makes a fresh body for each attempt; `touch` must be called as bytes go out (idle timeout). */
  readonly body?: (touch: () => void) => Uint8Array | AsyncIterable<Uint8Array>;
  /** Read a 2xx answer's body as a node stream (`nodeBodyOf`): blob downloads. */
  readonly streamResponse?: boolean;
  /** Retry 429, 5xx, resets and timeouts here (default). Uploads that resume by themselves say false. */
  readonly retry?: boolean;
  readonly signal?: AbortSignal;
  /** What the request is, for error messages ("blob sha256:… of aios/dms"). */
  readonly what: string;
}

interface CachedToken {
  readonly token: string;
  readonly expiresAt: number;
}

const loopback = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])(?::\d+)?$/i;

export function isLoopbackHost(host: string): boolean {
  return loopback.test(host);
}

/** Raised inside an attempt when it went quiet for longer than the idle timeout. */
class IdleTimeout extends Error {}

/**
 * HTTP to one registry: base URL, authentication (anonymous, basic, bearer-token challenge
 * with a token cache per scope), retries with backoff and jitter (429, 5xx, resets,
 * timeouts; `Retry-After` honoured), cancellation, and errors that say what to do.
 */
export class RegistryTransport {
  readonly base: string;
  readonly host: string;
  private readonly retry: RetryPolicy;
  private readonly idleTimeoutMs: number;
  private readonly fetchImpl: typeof fetch;
  private readonly random: () => number;
  private challenge: Challenge | undefined;
  private credentials: Promise<RegistryCredentials | undefined> | undefined;
  private readonly tokens = new Map<string, CachedToken>();
  /** Request body bytes handed to the network so far, every request and retry included. */
  bytesSent = 0;

  constructor(private readonly options: TransportOptions) {
    this.host = options.host;
    this.base = `${(options.plainHttp ?? isLoopbackHost(options.host)) ? 'http' : 'https'}://${options.host}`;
    this.retry = options.retry ?? defaultRetryPolicy;
    this.idleTimeoutMs = options.idleTimeoutMs ?? 60_000;
    this.fetchImpl = options.fetch ?? fetch;
    this.random = options.random ?? Math.random;
  }

  resolve(url: string): string {
    return new URL(url, this.base).toString();
  }

  /**
   * Sends the request, answering auth challenges and retrying transient failures. Returns the
   * response for any other status (the caller decides what 404 means); throws RegistryError
   * for 401/403 after authenticating, for exhausted retries and for an unreachable registry.
   */
  async send(request: RegistryRequest): Promise<Response> {
    const retries = request.retry === false ? 1 : this.retry.attempts;
    let authTries = 0;
    let lastProblem = '';
    // The scope a 401 asked for applies to this request only; the stored challenge keeps realm and service.
    let askedScope: string | undefined;
    for (let attempt = 1; ; attempt++) {
      request.signal?.throwIfAborted();
      let response: Response;
      try {
        response = await this.attempt(request, authTries > 0, askedScope);
      } catch (error) {
        if (request.signal?.aborted) throw request.signal.reason;
        if (error instanceof RegistryError) throw error;
        lastProblem = describeNetworkError(error, this.idleTimeoutMs);
        if (attempt >= retries) throw this.unreachable(request, lastProblem);
        await abortableDelay(retryDelayMs(this.retry, attempt, null, Date.now(), this.random), request.signal);
        continue;
      }
      if (response.status === 401) {
        const sentCredentials = authTries > 0 && (await this.getCredentials()) !== undefined;
        const header = response.headers.get('www-authenticate') ?? '';
        await response.body?.cancel();
        if (sentCredentials || authTries >= 2) throw await this.unauthorized(request);
        const challenge = parseChallenges(header)[0];
        if (challenge) {
          const { scope, ...params } = challenge.params;
          this.challenge = { scheme: challenge.scheme, params };
          askedScope = scope;
        }
        if (this.challenge === undefined) throw new RegistryError('unauthorized', `Registry ${this.host} answered 401 to ${request.what} without saying how to authenticate (no WWW-Authenticate header).`);
        this.tokens.delete(this.tokenKey(request.scope, this.challenge, askedScope));
        authTries++;
        attempt--;
        continue;
      }
      if (response.status === 403) {
        const detail = distributionError(await response.text());
        throw new RegistryError(
          'denied',
          `Registry ${this.host} denied ${request.what} (403${detail ? `: ${detail}` : ''}): the account lacks permission for this repository; ask its owner for ${request.scope.actions === 'pull' ? 'read' : 'write'} access.`,
        );
      }
      if (response.status === 429 || response.status >= 500) {
        const detail = distributionError(await response.text());
        lastProblem = `${response.status}${detail ? ` ${detail}` : ''}`;
        if (attempt >= retries) {
          throw new RegistryError(
            'unavailable',
            `Registry ${this.host} failed ${request.what} ${attempt} time(s) (last: ${lastProblem}): ${response.status === 429 ? 'it is rate-limiting requests; try again later' : 'the registry is having trouble; try again later or ask its operator'}.`,
          );
        }
        await abortableDelay(retryDelayMs(this.retry, attempt, response.headers.get('retry-after'), Date.now(), this.random), request.signal);
        continue;
      }
      return response;
    }
  }

  private async attempt(request: RegistryRequest, authenticate: boolean, askedScope: string | undefined): Promise<Response> {
    const controller = new AbortController();
    const signal = request.signal ? AbortSignal.any([request.signal, controller.signal]) : controller.signal;
    let timer: NodeJS.Timeout | undefined;
    const touch = () => {
      clearTimeout(timer);
      timer = setTimeout(() => controller.abort(new IdleTimeout()), this.idleTimeoutMs);
    };
    touch();
    try {
      const headers: Record<string, string> = { ...request.headers };
      const authorization = authenticate || this.challenge ? await this.authorization(request.scope, askedScope, signal) : undefined;
      if (authorization) headers['authorization'] = authorization;
      const body = request.body?.(() => touch());
      const countedBody = body instanceof Uint8Array || body === undefined ? body : this.counting(body);
      if (body instanceof Uint8Array) this.bytesSent += body.length;
      const url = this.resolve(request.url);
      const response =
        countedBody instanceof Uint8Array || this.options.fetch || (countedBody === undefined && !request.streamResponse)
          ? await this.fetchImpl(url, { method: request.method, headers, signal, redirect: 'follow', ...(countedBody ? { body: countedBody } : {}) })
          : await streamRequest(url, request.method, headers, countedBody, signal);
      this.options.log?.(`${request.method} ${new URL(url).pathname} -> ${response.status}`);
      return response;
    } catch (error) {
      if (controller.signal.aborted && !request.signal?.aborted) throw controller.signal.reason;
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  private async *counting(body: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
    for await (const chunk of body) {
      this.bytesSent += chunk.length;
      yield chunk;
    }
  }

  private getCredentials(): Promise<RegistryCredentials | undefined> {
    this.credentials ??= this.options.credentials.get(this.host);
    return this.credentials;
  }

  private async authorization(scope: Scope, askedScope: string | undefined, signal: AbortSignal): Promise<string | undefined> {
    const challenge = this.challenge;
    if (challenge === undefined) return undefined;
    const credentials = await this.getCredentials();
    if (challenge.scheme === 'basic') {
      if (credentials?.kind !== 'basic') return undefined;
      return `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
    }
    if (challenge.scheme !== 'bearer') {
      throw new RegistryError('protocol', `Registry ${this.host} asks for "${challenge.scheme}" authentication; only Basic and Bearer tokens are supported.`);
    }
    if (credentials?.kind === 'token' && !credentials.refresh) return `Bearer ${credentials.token}`;
    const key = this.tokenKey(scope, challenge, askedScope);
    const cached = this.tokens.get(key);
    if (cached && cached.expiresAt > Date.now()) return `Bearer ${cached.token}`;
    const token = await this.fetchToken(scopesFor(scope, askedScope), challenge, credentials, signal);
    this.tokens.set(key, token);
    return `Bearer ${token.token}`;
  }

  private tokenKey(scope: Scope, challenge: Challenge, askedScope: string | undefined): string {
    return [challenge.params['realm'], challenge.params['service'], ...scopesFor(scope, askedScope)].join('\n');
  }

  private async fetchToken(scopes: readonly string[], challenge: Challenge, credentials: RegistryCredentials | undefined, signal: AbortSignal): Promise<CachedToken> {
    const realm = challenge.params['realm'];
    if (!realm) throw new RegistryError('unauthorized', `Registry ${this.host} asks for a bearer token but names no token server (realm).`);
    const url = new URL(realm);
    const service = challenge.params['service'];
    let response: Response;
    try {
      if (credentials?.kind === 'token') {
        const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: credentials.token, client_id: 'aios-workbench', scope: scopes.join(' ') });
        if (service) form.set('service', service);
        response = await this.fetchImpl(url, { method: 'POST', body: form, signal });
      } else {
        if (service) url.searchParams.set('service', service);
        for (const s of scopes) url.searchParams.append('scope', s);
        const headers: Record<string, string> = {};
        if (credentials?.kind === 'basic') headers['authorization'] = `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
        response = await this.fetchImpl(url, { headers, signal });
      }
    } catch (error) {
      if (signal.aborted) throw signal.reason;
      throw new RegistryError('unavailable', `Cannot reach the token server ${url.origin} of registry ${this.host} (${describeNetworkError(error, this.idleTimeoutMs)}): check the network.`);
    }
    this.options.log?.(`token ${url.origin}${url.pathname} -> ${response.status}`);
    if (response.status === 401 || response.status === 403) {
      await response.body?.cancel();
      throw await this.unauthorizedMessage();
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new RegistryError('unavailable', `The token server ${url.origin} of registry ${this.host} answered ${response.status}; try again later.`);
    }
    const body = (await response.json()) as { token?: unknown; access_token?: unknown; expires_in?: unknown };
    const token = typeof body.token === 'string' ? body.token : typeof body.access_token === 'string' ? body.access_token : undefined;
    if (!token) throw new RegistryError('unauthorized', `The token server ${url.origin} of registry ${this.host} returned no token.`);
    const seconds = typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in : 60;
    return { token, expiresAt: Date.now() + Math.max(seconds - 5, 1) * 1000 };
  }

  private async unauthorized(request: RegistryRequest): Promise<RegistryError> {
    const error = await this.unauthorizedMessage();
    return new RegistryError(error.code, error.message.replace(/\.$/, ` (${request.what}).`));
  }

  private async unauthorizedMessage(): Promise<RegistryError> {
    const credentials = await this.getCredentials();
    const where = this.options.credentials.description;
    return credentials === undefined
      ? new RegistryError('unauthorized', `Registry ${this.host} requires credentials and none were found (looked in: ${where}): log in with docker login ${this.host}, or set AIOS_REGISTRY_USERNAME and AIOS_REGISTRY_PASSWORD.`)
      : new RegistryError('unauthorized', `Registry ${this.host} rejected the credentials (from: ${where}): check the user name and password or token.`);
  }

  private unreachable(request: RegistryRequest, problem: string): RegistryError {
    return new RegistryError('unavailable', `Cannot reach registry ${this.host} for ${request.what} (${problem}): check the address and that the registry is running.`);
  }
}

function scopesFor(scope: Scope, askedScope: string | undefined): string[] {
  const scopes = new Set<string>();
  scopes.add(scope.repository ? `repository:${scope.repository}:${scope.actions}` : 'registry:catalog:*');
  if (scope.alsoPullFrom) scopes.add(`repository:${scope.alsoPullFrom}:pull`);
  for (const s of (askedScope ?? '').split(' ')) if (s) scopes.add(s);
  return [...scopes].sort();
}

function describeNetworkError(error: unknown, idleTimeoutMs: number): string {
  if (error instanceof IdleTimeout) return `no answer for ${Math.round(idleTimeoutMs / 1000)} s`;
  const direct = (error as { code?: unknown } | undefined)?.code;
  if (typeof direct === 'string') return direct;
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | undefined)?.cause;
  if (cause && typeof cause.code === 'string') return cause.code;
  if (cause && typeof cause.message === 'string') return cause.message;
  return error instanceof Error ? error.message : String(error);
}
