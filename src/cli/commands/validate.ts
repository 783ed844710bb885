import type { Command } from 'commander';
import { promises as fsp } from 'node:fs';
import { dirname, relative } from 'node:path';
import { nodeFileSystem } from '../../core/fs';
import { socSuffixes, useCaseSuffixes } from '../../core/workspace/findFiles';
import { findWorkspaceRoot, workspaceRootAbove } from '../../core/workspace/root';
import { validateWorkspaceFiles, type FileDiagnostics } from '../../core/usecase/validateFiles';
import { hostInfoFromOs } from '../../core/soc/hostInfo';
import { ExitCode, UsageError } from '../errors';
import { printJson, printLines, type CliIo } from '../io';
import { filesUnderArguments } from './pathArguments';

export interface JsonDiagnostic {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
  readonly severity: string;
  readonly code: string;
  readonly message: string;
}

/** 1-based lines and columns, paths relative to the current folder (SPEC §3). */
export function toJsonDiagnostics(results: readonly FileDiagnostics[], cwd: string): JsonDiagnostic[] {
  return results.flatMap((r) =>
    r.diagnostics.map((d) => ({
      file: relative(cwd, r.file) || r.file,
      line: d.range.start.line + 1,
      column: d.range.start.character + 1,
      endLine: d.range.end.line + 1,
      endColumn: d.range.end.character + 1,
      severity: d.severity,
      code: d.code,
      message: d.message,
    })),
  );
}

export function registerValidate(program: Command, io: CliIo, setExitCode: (code: ExitCode) => void): void {
  program
    .command('validate [paths...]')
    .description('syntax, schema and semantic checks of use-case and SoC files (folders are searched)')
    .option('--json', 'print one JSON document on stdout')
    .action(async (paths: string[], options: { json?: boolean }) => {
      const { roots, files } = await filesUnderArguments(io, paths, [...useCaseSuffixes, ...socSuffixes]);
      const notYaml = files.find((f) => !/\.ya?ml$/i.test(f));
      if (notYaml) throw new UsageError(`${relative(io.cwd, notYaml) || notYaml} is not a YAML file: aios validate checks *.usecase.yaml and *.soc.yaml files (aios inspect reads models)`);
      if (files.length === 0) throw new UsageError(`no *.usecase.yaml or *.soc.yaml files under ${roots.map((r) => relative(io.cwd, r) || '.').join(', ')}`);
      // Each file's workspace by the one root rule (src/core/workspace/root.ts), never the current folder as such.
      const rootOf = new Map<string, string>();
      for (const f of files) rootOf.set(f, await findWorkspaceRoot(nodeFileSystem, f));
      const workspaceFor = (file: string) => rootOf.get(file) ?? dirname(file);
      const fileRoots = new Set(rootOf.values());
      const catalogRoot = fileRoots.size === 1 ? [...fileRoots][0]! : await workspaceRootAbove(nodeFileSystem, io.cwd);
      // Progress on stderr, only on a terminal and only once the run takes more than a second.
      const started = Date.now();
      let shown = false;
      const onProgress = (done: number, total: number) => {
        if (!io.stderr.isTTY || Date.now() - started < 1000) return;
        shown = true;
        io.stderr.write(`\rvalidating ${done}/${total} files`);
      };
      const results = await validateWorkspaceFiles(files, {
        onProgress,
        fs: nodeFileSystem,
        catalogRoot,
        workspaceFor,
        host: hostInfoFromOs(),
        realPath: (p) => fsp.realpath(p),
      });
      if (shown) io.stderr.write('\r\x1b[K');
      const diagnostics = toJsonDiagnostics(results, io.cwd);
      const count = (severity: string) => diagnostics.filter((d) => d.severity === severity).length;
      if (options.json) {
        printJson(io, { diagnostics });
      } else {
        printLines(io.stdout, diagnostics.map((d) => `${d.file}:${d.line}:${d.column} ${d.severity} ${d.code} ${d.message}`));
        const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
        io.stdout.write(`${plural(files.length, 'file')} checked: ${plural(count('error'), 'error')}, ${plural(count('warning'), 'warning')}, ${count('info')} info\n`);
      }
      setExitCode(count('error') > 0 ? ExitCode.checkFailed : ExitCode.ok);
    });
}
