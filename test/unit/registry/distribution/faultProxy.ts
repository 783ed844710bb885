/**
 * A loopback HTTP proxy in front of a test registry that injects faults: answers of its own
 * (500, 429 with Retry-After), connection resets before or part-way through a request body,
 * a tampered byte in a response, and an optional bearer-token challenge with its own token
 * endpoint (the registry behind it stays anonymous).
 */
import { randomBytes } from 'node:crypto';
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { Transform } from 'node:stream';

export type ProxyAction =
  | 'forward'
  /** Destroys the connection before reading the request. */
  | 'reset'
  /** Reads the request and never answers (the connection stays open until the proxy closes). */
  | 'hang'
  /** Forwards, but cuts both connections after this many request body bytes. */
  | { readonly resetAfterBytes: number }
  /** Forwards and flips one byte of the response body. */
  | 'tamper'
  /** Forwards, but cuts the connection after this many response body bytes. */
  | { readonly resetResponseAfterBytes: number }
  | { readonly status: number; readonly headers?: Record<string, string>; readonly body?: string };

export interface SeenRequest {
  readonly method: string;
  readonly url: string;
  readonly at: number;
  readonly authorization: string | undefined;
  status?: number;
  bodyBytes: number;
}

export interface BearerOptions {
  readonly username: string;
  readonly password: string;
  readonly expiresIn?: number;
}

export class FaultProxy {
  readonly requests: SeenRequest[] = [];
  readonly tokenRequests: { scope: string[]; authorization: string | undefined }[] = [];
  private readonly tokens = new Set<string>();
  decide: (request: IncomingMessage, seen: SeenRequest) => ProxyAction = () => 'forward';

  private constructor(
    private readonly server: Server,
    readonly port: number,
    private readonly target: { host: string; port: number },
    private readonly bearer: BearerOptions | undefined,
  ) {}

  get host(): string {
    return `127.0.0.1:${this.port}`;
  }

  static start(targetHost: string, options: { bearer?: BearerOptions } = {}): Promise<FaultProxy> {
    const [host = '127.0.0.1', port = '80'] = targetHost.split(':');
    return new Promise((resolve) => {
      let proxy: FaultProxy;
      const server = createServer((req, res) => proxy.handle(req, res));
      server.listen(0, '127.0.0.1', () => {
        const address = server.address();
        proxy = new FaultProxy(server, typeof address === 'object' && address ? address.port : 0, { host, port: Number(port) }, options.bearer);
        resolve(proxy);
      });
    });
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', `http://${this.host}`);
    if (this.bearer && url.pathname === '/token') return this.issueToken(req, res, url);
    const seen: SeenRequest = { method: req.method ?? 'GET', url: req.url ?? '/', at: Date.now(), authorization: req.headers.authorization, bodyBytes: 0 };
    this.requests.push(seen);
    if (this.bearer && !this.tokens.has((req.headers.authorization ?? '').replace(/^Bearer /, ''))) {
      const repo = /^\/v2\/(.+?)\/(?:blobs|manifests|tags|referrers)\//.exec(url.pathname)?.[1];
      const scope = repo ? `,scope="repository:${repo}:${req.method === 'GET' || req.method === 'HEAD' ? 'pull' : 'pull,push'}"` : '';
      seen.status = 401;
      req.resume();
      res.writeHead(401, { 'www-authenticate': `Bearer realm="http://${this.host}/token",service="aios-test"${scope}`, 'content-type': 'application/json' });
      res.end('{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}');
      return;
    }
    const action = this.decide(req, seen);
    if (action === 'reset') {
      seen.status = 0;
      req.socket.destroy();
      return;
    }
    if (action === 'hang') {
      seen.status = 0;
      req.resume();
      return;
    }
    if (typeof action === 'object' && 'status' in action) {
      seen.status = action.status;
      req.resume();
      res.writeHead(action.status, action.headers ?? {});
      res.end(action.body ?? '');
      return;
    }
    const headers = { ...req.headers };
    if (this.bearer) delete headers.authorization;
    const upstream = httpRequest({ host: this.target.host, port: this.target.port, method: req.method, path: req.url, headers }, (up) => {
      seen.status = up.statusCode;
      res.writeHead(up.statusCode ?? 502, up.headers);
      if (action === 'tamper') {
        let flipped = false;
        up.pipe(
          new Transform({
            transform(chunk: Buffer, _e, callback) {
              if (!flipped && chunk.length > 0) {
                chunk = Buffer.from(chunk);
                chunk[0] = chunk[0]! ^ 0xff;
                flipped = true;
              }
              callback(null, chunk);
            },
          }),
        ).pipe(res);
      } else if (typeof action === 'object' && 'resetResponseAfterBytes' in action) {
        let sent = 0;
        up.on('data', (chunk: Buffer) => {
          const room = action.resetResponseAfterBytes - sent;
          if (room <= 0) return;
          sent += Math.min(room, chunk.length);
          if (chunk.length < room) return void res.write(chunk);
          res.write(chunk.subarray(0, room), () => {
            up.destroy();
            res.socket?.destroy();
          });
        });
        up.on('end', () => res.end());
      } else up.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    const limit = typeof action === 'object' && 'resetAfterBytes' in action ? action.resetAfterBytes : Infinity;
    req.on('data', (chunk: Buffer) => {
      const room = limit - seen.bodyBytes;
      seen.bodyBytes += Math.min(chunk.length, Math.max(room, 0));
      if (room <= 0) return;
      if (chunk.length >= room) {
        upstream.write(chunk.subarray(0, room), () => {
          upstream.destroy();
          req.socket.destroy();
        });
        return;
      }
      upstream.write(chunk);
    });
    req.on('end', () => {
      if (seen.bodyBytes < limit) upstream.end();
    });
  }

  private issueToken(req: IncomingMessage, res: ServerResponse, url: URL): void {
    const bearer = this.bearer!;
    this.tokenRequests.push({ scope: url.searchParams.getAll('scope'), authorization: req.headers.authorization });
    req.resume();
    const expected = `Basic ${Buffer.from(`${bearer.username}:${bearer.password}`).toString('base64')}`;
    if (req.headers.authorization !== expected) {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end('{"errors":[{"code":"UNAUTHORIZED","message":"bad credentials"}]}');
      return;
    }
    const token = randomBytes(16).toString('hex');
    this.tokens.add(token);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ token, expires_in: bearer.expiresIn ?? 300 }));
  }
}
