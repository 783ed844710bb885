/**
 * The one list of what AIOS Workbench can do, and where each capability has landed. The CLI,
 * the editor and `aios run` read it to decide what to register and what says "not available
 * yet"; a feature that lands adds its surface to `availableIn` and registers its own command
 * (CLI: src/cli/commands, editor: its feature folder, pipeline: src/core/pipeline/stages.ts).
 * Unit tests check the table against package.json, the CLI, the pipeline and README's table.
 */

/** Where a capability shows up: the `aios` CLI, editor commands, or a stage of `aios run`. */
export type Surface = 'cli' | 'editor' | 'pipeline';

/** The stages of `aios run`, in order (SPEC §3). */
export const stageNames = ['validate', 'inspect', 'quantize', 'profile', 'release'] as const;
export type StageName = (typeof stageNames)[number];

/** How the CLI command is called, so a placeholder's `--help` is already right. */
export interface CliUsage {
  /** The command as typed after `aios`, with its arguments, e.g. `quantize <input>`. */
  readonly usage: string;
  readonly summary: string;
  readonly options?: ReadonlyArray<readonly [flags: string, description: string]>;
}

export interface Capability {
  readonly id: string;
  /** Subject of "… is not available yet", e.g. "Quantization". */
  readonly title: string;
  /** The title is plural ("Registry credentials are …"). */
  readonly plural?: boolean;
  /** Editor command ids (package.json) that belong to this capability. */
  readonly commands: readonly string[];
  readonly cli?: CliUsage;
  /** Its stage in `aios run`. */
  readonly stage?: StageName;
  /** Runs models or tools, or writes releases: refused in a restricted (untrusted) workspace. */
  readonly needsTrust: boolean;
  /** The surfaces where it has landed; every other surface it has says "not available yet". */
  readonly availableIn: readonly Surface[];
}

const everywhere: readonly Surface[] = ['cli', 'editor', 'pipeline'];
const cliAndEditor: readonly Surface[] = ['cli', 'editor'];

export const capabilities: readonly Capability[] = [
  {
    id: 'validate',
    title: 'Validation',
    commands: ['aios.validate'],
    cli: { usage: 'validate [paths...]', summary: 'syntax, schema and semantic checks of use-case and SoC files' },
    stage: 'validate',
    needsTrust: false,
    availableIn: everywhere,
  },
  { id: 'newUseCase', title: 'Creating a use case', commands: ['aios.newUseCase'], needsTrust: false, availableIn: ['editor'] },
  { id: 'walkthrough', title: 'The getting-started walkthrough', commands: ['aios.openSample'], needsTrust: false, availableIn: ['editor'] },
  {
    id: 'inspect',
    title: 'Model inspection',
    commands: ['aios.inspectModel'],
    cli: { usage: 'inspect <model>', summary: 'model summary; with --shapes, the inferred shape of every tensor' },
    stage: 'inspect',
    needsTrust: false,
    availableIn: everywhere,
  },
  {
    id: 'graph',
    title: 'The graph view',
    commands: ['aios.openGraph', 'aios.revealNode'],
    cli: { usage: 'graph <model>', summary: 'the graph view as one self-contained HTML file' },
    needsTrust: false,
    availableIn: cliAndEditor,
  },
  {
    id: 'diff',
    title: 'Model comparison',
    commands: ['aios.compareModels', 'aios.compareModelsSideBySide'],
    cli: { usage: 'diff <a> <b>', summary: 'structural diff of two models' },
    needsTrust: false,
    availableIn: cliAndEditor,
  },
  {
    id: 'targets',
    title: 'The SoC catalog',
    commands: ['aios.targets.refresh'],
    cli: { usage: 'targets', summary: 'the SoC catalog' },
    needsTrust: false,
    availableIn: cliAndEditor,
  },
  {
    id: 'quantize',
    title: 'Quantization',
    commands: ['aios.quantize'],
    cli: {
      usage: 'quantize <input>',
      summary: 'quantize a use case or a model',
      options: [
        ['--precision <precision>', 'int8 | fp16 | int4-weight | mixed'],
        ['--calibration <dir>', "folder of .npy samples, or 'synthetic'"],
        ['--samples <n>', 'calibration samples to use'],
        ['--method <method>', 'minmax | percentile | entropy'],
        ['--weights <granularity>', 'per-channel | per-tensor'],
        ['--keep-float <glob>', 'node-name glob left in float'],
        ['--min-sqnr <db>', 'gate: minimum output SQNR in dB'],
        ['--block-size <n>', 'int4-weight: 32 | 64 | 128'],
        ['--asymmetric', 'int4-weight: a zero point per block'],
        ['--int4-method <method>', 'int4-weight: rtn | gptq'],
        ['--auto-mixed', 'keep the fewest layers in float that reach --min-sqnr'],
        ['--input <name=dims>', 'size of an input with dynamic dims'],
        ['--out <file>', 'output ONNX file'],
      ],
    },
    stage: 'quantize',
    needsTrust: true,
    availableIn: everywhere,
  },
  {
    id: 'quantdiff',
    title: 'The quantization diff',
    commands: [],
    cli: { usage: 'quantdiff <fp32> <quant>', summary: 'per-tensor comparison of a float and a quantized model', options: [['--data <dir>', 'folder of .npy input samples']] },
    needsTrust: true,
    availableIn: ['cli'],
  },
  {
    id: 'profile',
    title: 'Profiling against SoC targets',
    commands: ['aios.profile'],
    cli: {
      usage: 'profile <input>',
      summary: 'estimated latency, memory and power per target',
      options: [['--target <id...>', 'SoC target ids'], ['--measure', 'also run the model on this host']],
    },
    stage: 'profile',
    needsTrust: true,
    availableIn: everywhere,
  },
  {
    id: 'release',
    title: 'Releasing to a model registry',
    commands: ['aios.release'],
    cli: { usage: 'release <usecase>', summary: 'run the gates, pack, sign and push a release', options: [['--registry <ref>', 'registry reference'], ['--key <file>', 'ed25519 signing key']] },
    stage: 'release',
    needsTrust: true,
    availableIn: everywhere,
  },
  { id: 'quantdiffView', title: 'The quantization diff view', commands: ['aios.showQuantDiff'], needsTrust: false, availableIn: ['editor'] },
  { id: 'profileView', title: 'The profile results view', commands: ['aios.showProfile'], needsTrust: false, availableIn: ['editor'] },
  { id: 'pull', title: 'Pulling a release', commands: ['aios.releases.pull'], cli: { usage: 'pull <ref>', summary: 'fetch a release', options: [['--out <dir>', 'output folder']] }, needsTrust: false, availableIn: cliAndEditor },
  { id: 'verify', title: 'Verifying a release', commands: ['aios.releases.verify'], cli: { usage: 'verify <ref>', summary: 'check a release signature and contents', options: [['--trust <file>', 'trusted public key']] }, needsTrust: false, availableIn: cliAndEditor },
  {
    id: 'promote',
    title: 'Promoting a release',
    commands: ['aios.releases.promote'],
    cli: { usage: 'promote <ref>', summary: 'move a channel tag to a release that is already signed', options: [['--channel <name>', 'channel to move']] },
    needsTrust: false,
    availableIn: cliAndEditor,
  },
  { id: 'keys', title: 'Signing keys', plural: true, commands: [], cli: { usage: 'keys <action>', summary: 'create an ed25519 signing key (keys init)', options: [['--out <dir>', 'output folder']] }, needsTrust: false, availableIn: ['cli'] },
  {
    id: 'replay',
    title: 'Closed-loop data replay',
    commands: [],
    cli: { usage: 'replay <usecase>', summary: 'run the model over recorded inputs and evaluate the dataLoop triggers', options: [['--data <dir>', 'folder of recorded .npy inputs'], ['--rate <hz>', 'samples per second']] },
    needsTrust: true,
    availableIn: ['cli'],
  },
  {
    id: 'run',
    title: 'The full pipeline',
    commands: ['aios.runPipeline'],
    cli: { usage: 'run [usecases...]', summary: 'the whole pipeline per use case: validate, inspect, quantize, profile, release (local)' },
    needsTrust: true,
    availableIn: ['cli', 'editor'],
  },
  { id: 'registryCredentials', title: 'Registry credentials', plural: true, commands: ['aios.setRegistryCredentials'], needsTrust: false, availableIn: ['editor'] },
  { id: 'releasesView', title: 'The release list', commands: ['aios.releases.refresh', 'aios.releases.openManifest'], needsTrust: false, availableIn: ['editor'] },
  {
    id: 'runHistory',
    title: 'The run history',
    // Run Again queues a task: it refuses in a restricted workspace itself, like every way of queueing one.
    commands: ['aios.runs.refresh', 'aios.runs.openLog', 'aios.runs.openResult', 'aios.runs.rerun', 'aios.runs.cancel', 'aios.runs.delete'],
    needsTrust: false,
    availableIn: ['editor'],
  },
];

/** The capability with this id; throws for an id the table does not have (a programming error). */
export function capabilityById(id: string): Capability {
  const found = capabilities.find((c) => c.id === id);
  if (!found) throw new Error(`no capability '${id}' in src/core/capabilities/table.ts`);
  return found;
}

export function isAvailable(capability: Capability, surface: Surface): boolean {
  return capability.availableIn.includes(surface);
}

/** Whether the capability has a presence on `surface` at all (landed or not). */
export function hasSurface(capability: Capability, surface: Surface): boolean {
  if (surface === 'cli') return capability.cli !== undefined;
  if (surface === 'editor') return capability.commands.length > 0;
  return capability.stage !== undefined;
}

/** Capabilities present on `surface` that have not landed there yet. */
export function pendingOn(surface: Surface): Capability[] {
  return capabilities.filter((c) => hasSurface(c, surface) && !isAvailable(c, surface));
}

/** The capability an editor command belongs to. */
export function capabilityOfCommand(commandId: string): Capability | undefined {
  return capabilities.find((c) => c.commands.includes(commandId));
}

export function capabilityOfStage(stage: StageName): Capability | undefined {
  return capabilities.find((c) => c.stage === stage);
}

/** One sentence for users: what is missing and that it is this version's limit, not their mistake. */
export function notAvailableMessage(capability: Capability): string {
  return `${capability.title} ${capability.plural ? 'are' : 'is'} not available yet in this version of AIOS Workbench.`;
}

/** Why a command that needs trust refuses, and what to do about it. */
export function needsTrustMessage(capability: Capability): string {
  return `${capability.title} runs models, tools or releases, which AIOS Workbench never does in a restricted workspace: trust this folder (Manage Workspace Trust) to use it.`;
}
