import { runMochaInHost } from '../host/runMocha';

/** Tests module of the restricted session: the samples copy opens untrusted (workspace trust on). */
export function run(): Promise<void> {
  return runMochaInHost('restricted workspace', __dirname);
}
