import { isAbsolute, join } from 'node:path';
import * as vscode from 'vscode';
import type { ContributionRegistry } from '../commandRegistry';
import type { ModelMetadata } from '../../core/usecase/modelMetadata';
import { nameProblem, newUseCaseText, type Domain } from '../../core/usecase/editor/newUseCase';
import { referenceFrom } from '../../core/usecase/editor/references';
import { targetDetail } from '../../core/usecase/editor/targetFigures';
import { domains } from '../../core/usecase/schema';
import { excludedFolders } from '../usecase/nameIndex';
import { back, inputStep, pickStep } from './quickSteps';
import type { UseCaseWorkspace } from '../usecase/useCaseWorkspace';

/**
 * Answers for `aios.newUseCase`, so scripts and tests can run it without the quick picks.
 * Every answer left out is asked for interactively.
 */
export interface NewUseCaseArgs {
  /** Vehicle domain: cockpit, adas, body, chassis or powertrain. */
  readonly domain?: string;
  /** Use-case name: lower-case letters, digits and hyphens; unique in the workspace. */
  readonly name?: string;
  /** The ONNX model: a Uri, an absolute path or a path relative to the workspace folder; `null` for none yet. */
  readonly model?: vscode.Uri | string | null;
  /** SoC target ids from the catalog (may be empty). */
  readonly targets?: readonly string[];
  /** Folder for the new file (Uri or absolute path). Default: `<workspace>/<domain>` when it exists, else the workspace folder. */
  readonly folder?: vscode.Uri | string;
  /** Open the new file in an editor (default true). */
  readonly open?: boolean;
}

export interface NewUseCaseResult {
  readonly uri: vscode.Uri;
  readonly text: string;
}

function isDomain(value: string): value is Domain {
  return (domains as readonly string[]).includes(value);
}

function toUri(value: vscode.Uri | string, root: vscode.Uri): vscode.Uri {
  if (value instanceof vscode.Uri) return value;
  return isAbsolute(value) ? vscode.Uri.file(value) : vscode.Uri.joinPath(root, value);
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

class Refused extends Error {}

export function registerNewUseCaseCommand(registry: ContributionRegistry, workspace: UseCaseWorkspace): void {
  registry.command('aios.newUseCase', async (arg?: unknown): Promise<NewUseCaseResult | undefined> => {
    const args: NewUseCaseArgs = typeof arg === 'object' && arg !== null && !(arg instanceof vscode.Uri) ? (arg as NewUseCaseArgs) : {};
    try {
      return await newUseCase(args, workspace);
    } catch (error) {
      if (error instanceof Refused) {
        void vscode.window.showErrorMessage(`AIOS: ${error.message}`);
        return undefined;
      }
      throw error;
    }
  });
}

async function newUseCase(args: NewUseCaseArgs, workspace: UseCaseWorkspace): Promise<NewUseCaseResult | undefined> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Refused('open a folder first: a use case lives in a workspace folder.');
  const root = folder.uri;
  const catalog = (await workspace.loadedCatalog(root.fsPath)).catalog;
  await workspace.names.ready;

  // Answers given as arguments are checked before anything is asked.
  if (args.domain !== undefined && !isDomain(args.domain)) throw new Refused(`unknown domain '${args.domain}': use one of ${domains.join(', ')}.`);
  const taken = workspace.names.names();
  const nameGiven = args.name !== undefined ? nameProblem(args.name, taken) : undefined;
  if (args.name !== undefined && nameGiven) throw new Refused(`cannot use the name '${args.name}': ${nameGiven}`);
  let model: vscode.Uri | undefined;
  if (args.model !== undefined && args.model !== null) {
    model = toUri(args.model, root);
    if (!(await exists(model))) throw new Refused(`the model ${model.fsPath} does not exist.`);
  }

  const folderOf = async (domain: Domain): Promise<vscode.Uri> => {
    const domainFolder = vscode.Uri.joinPath(root, domain);
    return args.folder !== undefined ? toUri(args.folder, root) : (await exists(domainFolder)) ? domainFolder : root;
  };
  const fileIn = (folder: vscode.Uri, name: string): vscode.Uri => vscode.Uri.joinPath(folder, `${name}.usecase.yaml`);

  // The steps not answered by arguments, in order; Back returns to the one before.
  let domain = args.domain as Domain | undefined;
  let name = args.name;
  let targets = args.targets;
  let nameDraft = '';
  const steps = (['domain', 'name', 'model', 'targets'] as const).filter((step) => args[step] === undefined);
  for (let at = 0; at < steps.length; ) {
    const step = steps[at];
    const title = (n: number, what: string) => `New Use Case (${n}/4): ${what}`;
    const canGoBack = at > 0;
    let answered: boolean | typeof back | undefined;
    if (step === 'domain') {
      const picked = await pickStep(domains.map((label) => ({ label })), { title: title(1, 'vehicle domain'), placeholder: 'Which vehicle domain does the function belong to?', canGoBack });
      answered = picked === back || picked === undefined ? picked : ((domain = picked[0]?.label as Domain), true);
    } else if (step === 'name') {
      const folder = await folderOf(domain ?? 'cockpit');
      const typed = await inputStep({
        title: title(2, 'name'),
        prompt: 'Lower-case letters, digits and hyphens; unique in the workspace',
        placeholder: 'e.g. lane-keeping',
        value: name ?? nameDraft,
        onChange: (value) => (nameDraft = value),
        canGoBack,
        // Said while typing, not after the last step: a file of that name (whatever use case it
        // holds) is never overwritten.
        validate: async (value) =>
          nameProblem(value, taken) ??
          ((await exists(fileIn(folder, value))) ? `${vscode.workspace.asRelativePath(fileIn(folder, value), false)} already exists: choose another name.` : undefined),
      });
      answered = typed === back || typed === undefined ? typed : ((name = typed), true);
    } else if (step === 'model') {
      const domainFolder = vscode.Uri.joinPath(root, domain ?? '');
      const found = await vscode.workspace.findFiles(new vscode.RelativePattern(folder, '**/*.onnx'), excludedFolders, 500);
      // The domain's own models first (the first row is the default), then by path.
      const inDomain = (uri: vscode.Uri): number => (uri.path.startsWith(`${domainFolder.path}/`) ? 0 : 1);
      const files = found.sort((a, b) => inDomain(a) - inDomain(b) || a.path.localeCompare(b.path));
      const none = { label: '$(circle-slash) None yet', description: `write models/${name ?? ''}.onnx and add the model later`, uri: undefined as vscode.Uri | undefined };
      const picked = await pickStep([...files.map((uri) => ({ label: vscode.workspace.asRelativePath(uri, false), uri })), none], {
        title: title(3, 'ONNX model'),
        placeholder: files.length > 0 ? 'The model this function deploys' : 'No *.onnx files in the workspace',
        canGoBack,
      });
      answered = picked === back || picked === undefined ? picked : ((model = picked[0]?.uri), true);
    } else {
      const picked = await pickStep(
        catalog.entries().map((entry) => ({ label: entry.target.id, description: entry.target.name, detail: targetDetail(entry) })),
        { title: title(4, 'SoC targets'), placeholder: 'The SoCs this function must run on (none is fine for now)', canPickMany: true, matchOnDescription: true, matchOnDetail: true, canGoBack },
      );
      answered = picked === back || picked === undefined ? picked : ((targets = picked.map((p) => p.label)), true);
    }
    if (answered === undefined) return undefined;
    at += answered === back ? -1 : 1;
  }
  if (domain === undefined || name === undefined || targets === undefined) return undefined;
  const targetFolder = await folderOf(domain);
  const fileFor = (n: string) => fileIn(targetFolder, n);
  const unknown = targets.filter((id) => !catalog.get(id));
  if (unknown.length > 0) throw new Refused(`unknown SoC target${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}: run 'AIOS: Refresh SoC Targets' or pick from the SoC Targets view.`);

  const uri = fileFor(name);
  if (await exists(uri)) throw new Refused(`${uri.fsPath} already exists; choose another name.`);

  let metadata: ModelMetadata | undefined;
  if (model) {
    try {
      metadata = await workspace.models.get(workspace.fs, model.fsPath);
    } catch (error) {
      void vscode.window.showWarningMessage(`AIOS: could not read ${model.fsPath} (${error instanceof Error ? error.message : String(error)}); the file is written without model inputs and outputs.`);
    }
  }
  const text = newUseCaseText(
    { name, domain, targets, ...(model ? { modelPath: referenceFrom(uri.fsPath, model.fsPath) } : {}), ...(metadata ? { model: metadata } : {}) },
    catalog,
  );
  await vscode.workspace.fs.createDirectory(targetFolder);
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
  if (args.open !== false) await vscode.window.showTextDocument(uri);
  if (!model) void vscode.window.showInformationMessage(`AIOS: ${name}.usecase.yaml written; put the model at ${join('models', `${name}.onnx`)} or change model.path.`);
  return { uri, text };
}
