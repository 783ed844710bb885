import type { Command } from 'commander';
import { join, relative, resolve } from 'node:path';
import { nodeFileSystem } from '../../core/fs';
import { parseReference, type Reference } from '../../core/registry/reference';
import { isRegistryError } from '../../core/registry/registry';
import { fetchRelease, PullTargetError, type FetchReport } from '../../core/release/fetch';
import { createKeyPair, defaultKeyDir, defaultKeyFile, defaultKeyName, KeyFileError, loadTrustedKeys, signingKeyFor } from '../../core/release/keys';
import { openRegistry, RegistryUnavailableError } from '../../core/release/openRegistry';
import { channels, PromoteError, promoteRelease } from '../../core/release/promote';
import { ReleaseInputError } from '../../core/release/release';
import { TrustStore } from '../../core/release/trustStore';
import { releaseJobKind } from '../../core/tasks/kinds/releaseKind';
import { findWorkspaceRoot } from '../../core/workspace/root';
import { ExitCode, UsageError } from '../errors';
import { formatTable, printJson, type CliIo } from '../io';
import { runJobInCli } from '../runJob';
import { inputPathArgument } from './pathArguments';

const releaseHelp = `
Gates (each can be turned off in the use case's release.gates):
  validation  the use case validates without errors
  budgets     the newest profile run of this exact model (same sha256) fits every target budget
  sqnr        the newest quantize run of this exact model reaches quantization.minSqnrDb
  version     release.version is higher than every version in the repository; the same version
              with the same content is a no-op (exit 0, nothing uploaded)
--force releases past failed gates and records which ones in the signed metadata.

Without --key, the default key in your config folder signs (${defaultKeyFile()}); it is
created on first use. Exit codes: 0 released (or unchanged); 1 a gate failed; 2 bad input.
`;

/** Errors of bad input from the release modules become usage errors (exit 2, one line). */
async function asUsage<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    if (e instanceof KeyFileError || e instanceof RegistryUnavailableError || e instanceof ReleaseInputError || e instanceof PromoteError || e instanceof PullTargetError) throw new UsageError(e.message);
    if (isRegistryError(e) && e.code !== 'digestMismatch') throw new UsageError(e.message);
    // A release job that failed on its input (a key with loose permissions, an unknown registry) reports it in one line.
    if (e instanceof Error && e.message.startsWith('the release run failed: ')) throw new UsageError(e.message.slice('the release run failed: '.length));
    throw e;
  }
}

function referenceArgument(text: string): Reference {
  const parsed = parseReference(text);
  if (!parsed.ok) throw new UsageError(parsed.error);
  return parsed.value;
}

async function registryFor(io: CliIo, reference: Reference) {
  const root = await findWorkspaceRoot(nodeFileSystem, join(io.cwd, 'aios-reference'));
  return openRegistry(reference.registry, root);
}

export function registerRelease(program: Command, io: CliIo, setExitCode: (code: ExitCode) => void): void {
  program
    .command('release <usecase>')
    .description('run the gates, pack, sign and push a release (recorded in .aios/runs/)')
    .option('--registry <ref>', "registry: 'local' or oci://host[:port][/namespace] (default: the use case's release.registry)")
    .option('--key <file>', 'private signing key (default: the key in your config folder, created on first use)')
    .option('--force', 'release past failed gates, recording that it did')
    .option('--json', 'print one JSON document on stdout')
    .addHelpText('after', releaseHelp)
    .action(async (file: string, options: { registry?: string; key?: string; force?: boolean; json?: boolean }) => {
      const useCase = inputPathArgument(io, file);
      if (!(await nodeFileSystem.stat(useCase))) throw new UsageError(`${file} does not exist`);
      const { summary, record } = await asUsage(() =>
        runJobInCli(io, releaseJobKind, { useCase, force: Boolean(options.force), ...(options.registry ? { registry: options.registry } : {}), ...(options.key ? { key: resolve(io.cwd, options.key) } : {}) }),
      );
      if (summary.createdKey) io.stderr.write(`aios: created your signing key ${summary.createdKey} (keep it private; share the .pub beside it with whoever verifies)\n`);
      if (options.json) {
        const { released: _released, unchanged: _unchanged, createdKey: _createdKey, ...rest } = summary;
        printJson(io, { ...rest, released: summary.released, unchanged: summary.unchanged, runId: record.id });
      } else {
        io.stdout.write(formatTable(['gate', 'result', 'detail'], summary.gates.map((g) => [g.name, g.passed ? 'passed' : g.forced ? 'FAILED (forced)' : 'FAILED', g.detail])));
        if (!summary.released) io.stdout.write(`\nNot released: a gate failed (fix it, or --force to release anyway, recorded).\n`);
        else if (summary.unchanged) io.stdout.write(`\n${summary.reference} is already released with the same content: nothing uploaded.\n`);
        else io.stdout.write(`\nReleased ${summary.reference} (${summary.digest}), channel ${summary.channel}, ${summary.bytesUploaded} bytes uploaded.\nRun ${record.id}\n`);
      }
      setExitCode(summary.released ? ExitCode.ok : ExitCode.checkFailed);
    });

  const fetchCommand = (name: 'pull' | 'verify') =>
    program
      .command(`${name} <ref>`)
      .description(name === 'pull' ? 'fetch a release and check it like verify; writes its files only when it verifies' : 'check a release: signature against trusted keys, hashes and lengths, expiry, rollback')
      .option('--trust <file>', `trusted public key(s) (.pub, or {keys:{...}}); default: ${join(defaultKeyDir(), `${defaultKeyName}.pub`)}`)
      .option('--json', 'print one JSON document on stdout');

  const runFetch = async (ref: string, options: { trust?: string; json?: boolean; out?: string }) => {
    const reference = referenceArgument(ref);
    const report: FetchReport = await asUsage(async () => {
      const trusted = await loadTrustedKeys(options.trust ? resolve(io.cwd, options.trust) : join(defaultKeyDir(), `${defaultKeyName}.pub`));
      const registry = await registryFor(io, reference);
      return fetchRelease({
        registry,
        reference,
        trusted,
        trustStore: TrustStore.default(),
        now: new Date(),
        ...(options.out !== undefined ? { outDir: resolve(io.cwd, options.out) } : {}),
        ...(io.interrupts ? { signal: io.interrupts.signal } : {}),
      });
    });
    if (options.json) printJson(io, report);
    else if (report.verified) {
      io.stdout.write(`Verified ${report.reference} (${report.digest}): version ${report.version}, channel ${report.channel}, rollout ${report.rolloutPercent}%${report.hardwareIds?.length ? `, hardware ${report.hardwareIds.join(', ')}` : ''}.\n`);
      if (report.forcedGates?.length) io.stdout.write(`Note: released past failed gates with --force: ${report.forcedGates.join(', ')}.\n`);
      if (report.files && options.out) io.stdout.write(`Wrote ${report.files.length} files to ${relative(io.cwd, resolve(io.cwd, options.out)) || '.'}\n`);
    } else {
      io.stdout.write(`NOT verified: ${report.reference}\n${report.problems.map((p) => `  - ${p}`).join('\n')}\n`);
    }
    setExitCode(report.verified ? ExitCode.ok : ExitCode.checkFailed);
  };
  fetchCommand('pull').option('--out <dir>', 'new or empty folder for the files', 'release').action((ref: string, options: { trust?: string; json?: boolean; out: string }) => runFetch(ref, options));
  fetchCommand('verify').action((ref: string, options: { trust?: string; json?: boolean }) => runFetch(ref, options));

  program
    .command('promote <ref>')
    .description('move a channel tag to a release that is already signed (signs a statement for the new channel)')
    .requiredOption('--channel <name>', `channel to move: ${channels.join(', ')}`)
    .option('--rollout <percent>', 'rollout percent for the channel (default: the release\'s own)')
    .option('--key <file>', 'private signing key (default: the key in your config folder)')
    .option('--json', 'print one JSON document on stdout')
    .action(async (ref: string, options: { channel: string; rollout?: string; key?: string; json?: boolean }) => {
      const reference = referenceArgument(ref);
      const rollout = options.rollout === undefined ? undefined : Number(options.rollout);
      if (rollout !== undefined && !(rollout >= 0 && rollout <= 100)) throw new UsageError(`--rollout ${options.rollout} is not a percent between 0 and 100`);
      const result = await asUsage(async () => {
        const { key } = await signingKeyFor(options.key !== undefined ? resolve(io.cwd, options.key) : defaultKeyFile());
        return promoteRelease({ registry: await registryFor(io, reference), reference, channel: options.channel, key, now: new Date(), ...(rollout !== undefined ? { rolloutPercent: rollout } : {}) });
      });
      if (options.json) printJson(io, result);
      else io.stdout.write(`${result.reference} -> ${result.digest} (rollout ${result.rolloutPercent}%)\n`);
      setExitCode(ExitCode.ok);
    });

  const keys = program.command('keys <action>').description('signing keys: keys init creates an ed25519 key pair');
  keys
    .option('--out <dir>', `folder for the key files (default: ${defaultKeyDir()}; never the workspace)`)
    .option('--name <name>', 'file name of the key pair', defaultKeyName)
    .option('--json', 'print one JSON document on stdout')
    .action(async (action: string, options: { out?: string; name: string; json?: boolean }) => {
      if (action !== 'init') throw new UsageError(`unknown keys action '${action}': use 'aios keys init'`);
      const files = await asUsage(() => createKeyPair(options.out !== undefined ? resolve(io.cwd, options.out) : defaultKeyDir(), options.name));
      if (options.json) printJson(io, files);
      else io.stdout.write(`Created ${files.privateKeyFile} (mode 0600) and ${files.publicKeyFile}\nKey id ${files.keyId}\n`);
      setExitCode(ExitCode.ok);
    });
}
