/**
 * Debian's `docker-registry` (CNCF Distribution 2.8) started by the tests on a free loopback
 * port, anonymous or with htpasswd basic auth; it can be killed and started again on the same
 * storage and port (the upload sessions survive: the config fixes `http.secret`).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../../integration/runner/codeServer';

export { freePort };

export const haveRegistry = existsSync('/usr/bin/docker-registry');
export const haveSkopeo = existsSync('/usr/bin/skopeo');
export const haveHtpasswd = existsSync('/usr/bin/htpasswd');
export const noRegistry = 'docker-registry is missing (apt-get install docker-registry)';
export const noSkopeo = 'skopeo is missing (apt-get install skopeo)';

export class RegistryServer {
  private child: ChildProcess | undefined;
  private constructor(
    readonly dir: string,
    readonly port: number,
    private readonly config: string,
  ) {}

  get host(): string {
    return `127.0.0.1:${this.port}`;
  }

  static async start(options: { basicAuth?: { username: string; password: string } } = {}): Promise<RegistryServer> {
    const dir = mkdtempSync(join(tmpdir(), 'aios-registry-'));
    const port = await freePort();
    let auth = '';
    if (options.basicAuth) {
      const line = execFileSync('htpasswd', ['-Bbn', options.basicAuth.username, options.basicAuth.password], { encoding: 'utf8' });
      writeFileSync(join(dir, 'htpasswd'), line);
      auth = `auth:\n  htpasswd:\n    realm: aios-test\n    path: ${join(dir, 'htpasswd')}\n`;
    }
    const config = join(dir, 'config.yml');
    writeFileSync(
      config,
      `version: 0.1\nlog:\n  level: info\n  accesslog:\n    disabled: true\nstorage:\n  filesystem:\n    rootdirectory: ${join(dir, 'data')}\n  delete:\n    enabled: true\n` +
        `http:\n  addr: 127.0.0.1:${port}\n  secret: aios-test-secret\n${auth}`,
    );
    const server = new RegistryServer(dir, port, config);
    await server.run();
    return server;
  }

  /** Starts the process and resolves once it logs that it listens. */
  run(): Promise<void> {
    return new Promise((resolve, reject) => {
      const child = spawn('docker-registry', ['serve', this.config], { stdio: ['ignore', 'ignore', 'pipe'] });
      this.child = child;
      let log = '';
      const onData = (data: Buffer) => {
        log += data.toString();
        if (log.includes('listening on')) {
          child.stderr?.off('data', onData);
          child.stderr?.resume();
          resolve();
        }
      };
      child.stderr?.on('data', onData);
      child.once('exit', (code) => reject(new Error(`docker-registry exited (${code}) before listening: ${log.slice(-500)}`)));
      child.once('error', reject);
    });
  }

  /** SIGKILL, as a crash: nothing is flushed or closed. */
  kill(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    });
  }

  async stop(): Promise<void> {
    await this.kill();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
