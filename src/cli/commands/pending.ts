import type { Command } from 'commander';
import { NotAvailableError } from '../errors';

/**
 * CLI commands of SPEC §3 whose capability has not landed yet. They parse their documented
 * arguments (so `--help` is already right) and then say plainly that they are not available.
 * A capability that lands removes its row here and adds its own file.
 */
const pending: ReadonlyArray<{ name: string; args: string; summary: string; options?: ReadonlyArray<[string, string]> }> = [
  { name: 'quantize', args: '<input>', summary: 'quantize a use case or a model', options: [['--out <file>', 'output ONNX file']] },
  { name: 'quantdiff', args: '<fp32> <quant>', summary: 'per-tensor comparison of a float and a quantized model', options: [['--data <dir>', 'folder of .npy input samples']] },
  { name: 'profile', args: '<input>', summary: 'estimated latency, memory and power per target', options: [['--target <id...>', 'SoC target ids'], ['--measure', 'also run the model on this host']] },
  { name: 'release', args: '<usecase>', summary: 'run the gates, pack, sign and push a release', options: [['--registry <ref>', 'registry reference']] },
  { name: 'pull', args: '<ref>', summary: 'fetch a release', options: [['--out <dir>', 'output folder']] },
  { name: 'verify', args: '<ref>', summary: 'check a release signature and contents' },
];

export const pendingCommandNames: readonly string[] = pending.map((p) => p.name);

export function registerPending(program: Command): void {
  for (const p of pending) {
    const cmd = program.command(`${p.name}${p.args ? ` ${p.args}` : ''}`).description(`${p.summary} (not available yet)`);
    for (const [flags, description] of p.options ?? []) cmd.option(flags, description);
    cmd.option('--json', 'print one JSON document on stdout');
    cmd.action(() => {
      throw new NotAvailableError(p.name);
    });
  }
}
