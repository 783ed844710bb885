import { isAbsolute, join } from 'node:path';
import * as vscode from 'vscode';
import type { ContributionRegistry } from '../commandRegistry';
import type { ModelMetadata } from '../../core/usecase/modelMetadata';
import { nameProblem, newUseCaseText, type Domain } from '../../core/usecase/editor/newUseCase';
import { referenceFrom } from '../../core/usecase/editor/references';
import { targetDetail } from '../../core/usecase/editor/targetFigures';
import { domains } from '../../core/usecase/schema';
import { excludedFolders } from '../usecase/nameIndex';
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

  // 1. Domain
  let domain = args.domain;
  if (domain === undefined) {
    domain = (await vscode.window.showQuickPick([...domains], { title: 'New Use Case (1/4): vehicle domain', placeHolder: 'Which vehicle domain does the function belong to?', ignoreFocusOut: true })) ?? undefined;
    if (domain === undefined) return undefined;
  }
  if (!isDomain(domain)) throw new Refused(`unknown domain '${domain}': use one of ${domains.join(', ')}.`);

  const domainFolder = vscode.Uri.joinPath(root, domain);
  const targetFolder = args.folder !== undefined ? toUri(args.folder, root) : (await exists(domainFolder)) ? domainFolder : root;
  const fileFor = (name: string): vscode.Uri => vscode.Uri.joinPath(targetFolder, `${name}.usecase.yaml`);

  // 2. Name
  const taken = workspace.names.names();
  let name = args.name;
  if (name === undefined) {
    name = await vscode.window.showInputBox({
      title: 'New Use Case (2/4): name',
      prompt: 'Lower-case letters, digits and hyphens; unique in the workspace',
      placeHolder: 'e.g. lane-keeping',
      ignoreFocusOut: true,
      // Said while typing, not after the last step: a file of that name (whatever use case it
      // holds) is never overwritten.
      validateInput: async (value) =>
        nameProblem(value, taken) ??
        ((await exists(fileFor(value))) ? `${vscode.workspace.asRelativePath(fileFor(value), false)} already exists: choose another name.` : undefined),
    });
    if (name === undefined) return undefined;
  }
  const problem = nameProblem(name, taken);
  if (problem) throw new Refused(`cannot use the name '${name}': ${problem}`);

  // 3. Model
  let model: vscode.Uri | undefined;
  if (args.model === undefined) {
    const found = await vscode.workspace.findFiles(new vscode.RelativePattern(folder, '**/*.onnx'), excludedFolders, 500);
    // The domain's own models first (the first row is the default), then by path.
    const inDomain = (uri: vscode.Uri): number => (uri.path.startsWith(`${domainFolder.path}/`) ? 0 : 1);
    const files = found.sort((a, b) => inDomain(a) - inDomain(b) || a.path.localeCompare(b.path));
    const none = { label: '$(circle-slash) None yet', description: `write models/${name}.onnx and add the model later`, uri: undefined as vscode.Uri | undefined };
    const picked = await vscode.window.showQuickPick([...files.map((uri) => ({ label: vscode.workspace.asRelativePath(uri, false), uri })), none], {
      title: 'New Use Case (3/4): ONNX model',
      placeHolder: files.length > 0 ? 'The model this function deploys' : 'No *.onnx files in the workspace',
      ignoreFocusOut: true,
    });
    if (!picked) return undefined;
    model = picked.uri;
  } else if (args.model !== null) {
    model = toUri(args.model, root);
    if (!(await exists(model))) throw new Refused(`the model ${model.fsPath} does not exist.`);
  }

  // 4. Targets
  let targets = args.targets;
  if (targets === undefined) {
    const picked = await vscode.window.showQuickPick(
      catalog.entries().map((entry) => ({ label: entry.target.id, description: entry.target.name, detail: targetDetail(entry) })),
      { title: 'New Use Case (4/4): SoC targets', placeHolder: 'The SoCs this function must run on (none is fine for now)', canPickMany: true, matchOnDescription: true, matchOnDetail: true, ignoreFocusOut: true },
    );
    if (!picked) return undefined;
    targets = picked.map((p) => p.label);
  }
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
