import { promises as fsp } from 'node:fs';
import { dirname, join } from 'node:path';
import { withLockFile } from '../registry/layout/lockFile';
import { userConfigDir } from './keys';
import { compareSemver } from './metadata';

/**
 * The highest release version seen per repository and hardware id (rollback protection, as an
 * Uptane ECU keeps its latest installed version): a verified release lower than one seen
 * before is refused. One JSON file, updated under a lock by temp file + rename.
 */
export class TrustStore {
  constructor(readonly file: string) {}

  static default(env: NodeJS.ProcessEnv = process.env): TrustStore {
    return new TrustStore(env['AIOS_TRUST_STORE'] || join(userConfigDir(env), 'trust', 'seen-versions.json'));
  }

  async seen(repository: string, hardwareId: string): Promise<string | undefined> {
    return (await this.read())[keyOf(repository, hardwareId)];
  }

  /** Records `version` for each hardware id where it is higher than what was seen. */
  async record(repository: string, hardwareIds: readonly string[], version: string): Promise<void> {
    await fsp.mkdir(dirname(this.file), { recursive: true });
    await withLockFile(`${this.file}.lock`, async () => {
      const seen = await this.read();
      for (const id of hardwareIds.length > 0 ? hardwareIds : ['']) {
        const k = keyOf(repository, id);
        const before = seen[k];
        if (before === undefined || compareSemver(version, before) > 0) seen[k] = version;
      }
      const temp = `${this.file}.${process.pid}.tmp`;
      await fsp.writeFile(temp, `${JSON.stringify(seen, null, 2)}\n`);
      await fsp.rename(temp, this.file);
    });
  }

  private async read(): Promise<Record<string, string>> {
    try {
      const json = JSON.parse(await fsp.readFile(this.file, 'utf8')) as unknown;
      return typeof json === 'object' && json !== null ? (json as Record<string, string>) : {};
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return {};
      throw new Error(`the trust store ${this.file} cannot be read (${e instanceof Error ? e.message : String(e)}): restore it; deleting it forgets the versions seen (rollback protection)`);
    }
  }
}

function keyOf(repository: string, hardwareId: string): string {
  return `${repository}#${hardwareId}`;
}
