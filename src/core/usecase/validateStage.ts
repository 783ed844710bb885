import { promises as fsp } from 'node:fs';
import { dirname, join } from 'node:path';
import type { FileSystem } from '../fs';
import type { PipelineStage } from '../pipeline/pipeline';
import { hostInfoFromOs } from '../soc/hostInfo';
import { validateWorkspaceFiles } from './validateFiles';
import type { RealPath } from './workspacePath';

const workspaceMarkers = ['.aios', '.git', 'package.json', '.vscode'];

/** The nearest folder above `file` that looks like a workspace root; the file's folder if none does. */
export async function findWorkspaceRoot(fs: FileSystem, file: string): Promise<string> {
  let dir = dirname(file);
  for (;;) {
    for (const marker of workspaceMarkers) if (await fs.stat(join(dir, marker))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return dirname(file);
    dir = parent;
  }
}

/** Pipeline stage `validate`: all checks of `aios validate` on one use case; errors fail the stage. */
export function validateStage(options: { realPath?: RealPath } = { realPath: (p) => fsp.realpath(p) }): PipelineStage {
  return {
    name: 'validate',
    async run(file, context) {
      const root = await findWorkspaceRoot(context.fs, file);
      const [result] = await validateWorkspaceFiles([file], {
        fs: context.fs,
        catalogRoot: root,
        workspaceFor: () => root,
        host: hostInfoFromOs(),
        ...(options.realPath ? { realPath: options.realPath } : {}),
        ...(context.signal ? { signal: context.signal } : {}),
      });
      const diagnostics = result?.diagnostics ?? [];
      const errors = diagnostics.filter((d) => d.severity === 'error');
      const warnings = diagnostics.filter((d) => d.severity === 'warning').length;
      const first = errors[0];
      return {
        stage: 'validate',
        status: errors.length > 0 ? 'failed' : 'passed',
        detail: first
          ? `${errors.length} error${errors.length === 1 ? '' : 's'}, first at line ${first.range.start.line + 1}: ${first.code} ${first.message}`
          : `no errors${warnings > 0 ? `, ${warnings} warning${warnings === 1 ? '' : 's'}` : ''}`,
      };
    },
  };
}
