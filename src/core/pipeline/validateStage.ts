import { promises as fsp } from 'node:fs';
import { hostInfoFromOs } from '../soc/hostInfo';
import { validateWorkspaceFiles } from '../usecase/validateFiles';
import { resolveInWorkspace, type RealPath } from '../usecase/workspacePath';
import { findWorkspaceRoot } from '../workspace/root';
import type { StageOutcome, UseCaseLoader } from './pipeline';

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * Pipeline stage `validate`: all checks of `aios validate` on one use case; errors fail the
 * stage. It is also where the pipeline reads the use case: a use case that passes is handed
 * on typed, with its workspace root and resolved model, so no later stage reads it again.
 */
export function validateStage(options: { realPath?: RealPath } = { realPath: (p) => fsp.realpath(p) }): UseCaseLoader {
  return {
    name: 'validate',
    async load(file, { fs, signal }) {
      const root = await findWorkspaceRoot(fs, file);
      // The results also hold the workspace's .aios/targets files (sorted first): pick this file's.
      const result = (await validateWorkspaceFiles([file], {
        fs,
        catalogRoot: root,
        workspaceFor: () => root,
        host: hostInfoFromOs(),
        ...(options.realPath ? { realPath: options.realPath } : {}),
        ...(signal ? { signal } : {}),
      })).find((r) => r.file === file);
      const diagnostics = result?.diagnostics ?? [];
      const errors = diagnostics.filter((d) => d.severity === 'error');
      const first = errors[0];
      if (first) {
        return { outcome: { status: 'failed', detail: `${plural(errors.length, 'error')}, first at line ${first.range.start.line + 1}: ${first.code} ${first.message}` } };
      }
      const useCase = result?.useCase;
      const fail = (detail: string): { outcome: StageOutcome } => ({ outcome: { status: 'failed', detail } });
      // Validation reports both as errors; these guard the hand-over, not the user's file.
      if (!useCase) return fail('the use case does not pass the schema');
      const model = await resolveInWorkspace(root, file, useCase.model.path, options.realPath);
      if (!model.ok) return fail(model.reason);
      const warnings = diagnostics.filter((d) => d.severity === 'warning').length;
      return {
        outcome: { status: 'passed', detail: `no errors${warnings > 0 ? `, ${plural(warnings, 'warning')}` : ''}` },
        loaded: { file, workspaceRoot: root, useCase, model: { reference: useCase.model.path, path: model.path } },
      };
    },
  };
}
