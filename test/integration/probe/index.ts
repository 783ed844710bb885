import { runMochaInHost } from '../host/runMocha';

/** Tests module of the probe session: the real extension is the installed .vsix copy. */
export function run(): Promise<void> {
  return runMochaInHost('installed .vsix', __dirname);
}
