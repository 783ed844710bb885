import { join } from 'node:path';
import { runMochaInHost } from './host/runMocha';

/** VS Code calls this inside the extension host (extensionTestsPath) once the window is up. */
export function run(): Promise<void> {
  return runMochaInHost('extension under development', join(__dirname, 'suite'));
}
