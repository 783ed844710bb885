import { relative, resolve } from 'node:path';
import { z } from 'zod';
import { defineJobKind } from '../jobKind';

const gate = z.object({ name: z.string(), passed: z.boolean(), detail: z.string(), forced: z.boolean().optional() });

/** `aios release`: gates, pack, sign and push one use case (upload progress in bytes). */
export const releaseJobKind = defineJobKind({
  kind: 'release',
  title: 'Release',
  heavy: true,
  inputs: z.object({
    /** The use case, relative to the job's folder or absolute. */
    useCase: z.string().min(1),
    /** `local` or `oci://host[:port][/namespace]`; the use case's release.registry when absent. */
    registry: z.string().optional(),
    /** Private key file; the default key in the user's config folder when absent (created on first use). */
    key: z.string().optional(),
    force: z.boolean().default(false),
  }),
  summary: z.object({
    reference: z.string(),
    digest: z.string(),
    version: z.string(),
    channel: z.string(),
    gates: z.array(gate),
    bytesUploaded: z.number(),
    released: z.boolean(),
    unchanged: z.boolean(),
    forcedGates: z.array(z.string()),
    /** Set when the default key was created by this run. */
    createdKey: z.string().optional(),
  }),
  command: (inputs, cwd) =>
    ['aios release', relative(cwd, resolve(cwd, inputs.useCase)), ...(inputs.registry ? ['--registry', inputs.registry] : []), ...(inputs.key ? ['--key', inputs.key] : []), ...(inputs.force ? ['--force'] : [])].join(' '),
  inputFiles: async (inputs, cwd) => {
    const { nodeFileSystem } = await import('../../fs');
    const { readModelReference } = await import('../../usecase/modelReference');
    const file = resolve(cwd, inputs.useCase);
    const model = (await readModelReference(nodeFileSystem, file))?.modelFile;
    return model ? [file, model] : [file];
  },
  outputFiles: () => [],
  async execute(inputs, context) {
    const { nodeFileSystem } = await import('../../fs');
    const { validateStage } = await import('../../pipeline/validateStage');
    const { releaseUseCase, releaseRegistryOf } = await import('../../release/release');
    const { openRegistry, registryLocationOf } = await import('../../release/openRegistry');
    const { signingKeyFor } = await import('../../release/keys');
    const { capabilityById, isAvailable } = await import('../../capabilities/table');
    const { findWorkspaceRoot } = await import('../../workspace/root');
    const { openRunStore, runsDirFor } = await import('../runStore');
    const { runNestedJob } = await import('../nestedJob');
    const { chainCredentialStores } = await import('../../registry/credentials/credentials');
    const { cliCredentials } = await import('../../registry/credentials/cli');
    const { signal, cwd } = context;
    const file = resolve(cwd, inputs.useCase);
    const checked = await validateStage().load(file, { fs: nodeFileSystem, signal });
    const loaded = checked.loaded;
    const root = loaded?.workspaceRoot ?? (await findWorkspaceRoot(nodeFileSystem, file));
    const location = registryLocationOf(inputs.registry ?? loaded?.useCase.release?.registry ?? (await releaseRegistryOf(file)) ?? 'local');
    let createdKey: string | undefined;
    let lastPercent = -1;
    const report = await releaseUseCase({
      file,
      fileArgument: relative(cwd, file),
      validation: {
        passed: checked.outcome.status === 'passed',
        detail: checked.outcome.detail,
        ...(loaded ? { loaded: { useCase: loaded.useCase, workspaceRoot: loaded.workspaceRoot, modelFile: loaded.model.path } } : {}),
      },
      // The editor's stored credentials first (asked from the queue), then the CLI's (environment, docker login).
      registry: openRegistry(location, root, context.credentials ? { credentials: chainCredentialStores([context.credentials, cliCredentials(process.env)]) } : {}),
      location,
      key: async () => {
        const { key, created } = await signingKeyFor(inputs.key !== undefined ? resolve(cwd, inputs.key) : undefined);
        if (created) {
          createdKey = created.privateKeyFile;
          context.log(`created the signing key ${created.privateKeyFile} (public key ${created.publicKeyFile}, key id ${created.keyId})`);
        }
        return key;
      },
      force: inputs.force,
      runs: await openRunStore(runsDirFor(cwd)).list(),
      // A gate without a run of this exact model runs that job now (its own run record, progress here).
      runNow: (kind) => runNestedJob(context, runsDirFor(cwd), kind, { input: file }),
      now: new Date(),
      available: { profile: isAvailable(capabilityById('profile'), 'cli'), quantize: isAvailable(capabilityById('quantize'), 'cli') },
      signal,
      progress: (stage, done, total) => {
        const percent = total > 0 ? Math.floor((done / total) * 100) : 100;
        if (percent === lastPercent) return;
        lastPercent = percent;
        context.progress({ stage, fraction: total > 0 ? done / total : 1, message: `${(done / 1048576).toFixed(1)} of ${(total / 1048576).toFixed(1)} MiB` });
      },
    });
    for (const g of report.gates) context.log(`gate ${g.name}: ${g.passed ? 'passed' : g.forced ? 'FAILED, passed with --force' : 'FAILED'}: ${g.detail}`);
    return { ...report, gates: report.gates.map((g) => ({ ...g })), forcedGates: [...report.forcedGates], ...(createdKey ? { createdKey } : {}) };
  },
});
