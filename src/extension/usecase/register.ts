import * as vscode from 'vscode';
import type { ContributionRegistry } from '../commandRegistry';
import { registerInspectModelCommand } from '../commands/inspectModel';
import { registerNewUseCaseCommand } from '../commands/newUseCase';
import { registerValidateCommand } from '../commands/validate';
import { TargetsTreeProvider } from '../views/targetsView';
import { UseCaseCodeActionProvider } from './codeActions';
import { UseCaseCodeLensProvider } from './codeLenses';
import { UseCaseCompletionProvider } from './completion';
import { UseCaseDefinitionProvider } from './definition';
import { UseCaseDiagnostics } from './diagnostics';
import { UseCaseDocumentSymbolProvider } from './documentSymbols';
import { UseCaseHoverProvider } from './hover';
import { ValidationClient } from '../../core/usecase/validationClient';
import { SharedOutlines } from './sharedOutline';
import { UseCaseWorkspace, useCaseSelector, yamlSelector } from './useCaseWorkspace';

export interface UseCaseLanguageFeatures {
  readonly workspace: UseCaseWorkspace;
  readonly diagnostics: UseCaseDiagnostics;
  /** The `aios.targets` view's data; extension.ts registers the view. */
  readonly targetsTree: TargetsTreeProvider;
  readonly stats: UseCaseStats;
}

/** Counters for integration tests: where validation and parsing happen. */
export interface UseCaseStats {
  /** Validations the worker thread finished and answered. */
  readonly workerValidations: number;
  /** Worker threads started (a crash or a timeout starts a new one). */
  readonly workersStarted: number;
  /** YAML parses on the extension host's thread (hover, completion, definition, outlines of small files). */
  readonly hostParses: number;
}

/**
 * Everything that makes `*.usecase.yaml` and `*.soc.yaml` a language: diagnostics, completion,
 * hover, quick fixes, outline, definition, code lenses, and the validate / new-use-case /
 * inspect-model / refresh-targets commands. Nothing here runs models or tools, so it all works in an
 * untrusted workspace.
 */
export function registerUseCaseLanguageFeatures(context: vscode.ExtensionContext, registry: ContributionRegistry, log: vscode.LogOutputChannel): UseCaseLanguageFeatures {
  const workspace = new UseCaseWorkspace();
  const validator = new ValidationClient({ workerPath: vscode.Uri.joinPath(context.extensionUri, 'dist', 'workers', 'validation.js').fsPath, host: workspace.host });
  const outlines = new SharedOutlines();
  const diagnostics = new UseCaseDiagnostics(workspace, validator, outlines, log);
  const targetsTree = new TargetsTreeProvider(workspace);
  const codeLenses = new UseCaseCodeLensProvider(workspace);
  context.subscriptions.push(
    workspace,
    diagnostics,
    targetsTree,
    codeLenses,
    vscode.languages.registerCompletionItemProvider(yamlSelector, new UseCaseCompletionProvider(workspace), ...UseCaseCompletionProvider.triggerCharacters),
    vscode.languages.registerHoverProvider(yamlSelector, new UseCaseHoverProvider(workspace)),
    vscode.languages.registerCodeActionsProvider(yamlSelector, new UseCaseCodeActionProvider(diagnostics), UseCaseCodeActionProvider.metadata),
    vscode.languages.registerDocumentSymbolProvider(yamlSelector, new UseCaseDocumentSymbolProvider(workspace, outlines)),
    vscode.languages.registerDefinitionProvider(useCaseSelector, new UseCaseDefinitionProvider(workspace)),
    vscode.languages.registerCodeLensProvider(useCaseSelector, codeLenses),
  );
  registerValidateCommand(registry, diagnostics);
  registerNewUseCaseCommand(registry, workspace);
  registerInspectModelCommand(registry, workspace);
  registry.command('aios.targets.refresh', () => targetsTree.refresh());
  const stats: UseCaseStats = {
    get workerValidations() {
      return validator.completed;
    },
    get workersStarted() {
      return validator.workersStarted;
    },
    get hostParses() {
      return workspace.hostParses;
    },
  };
  return { workspace, diagnostics, targetsTree, stats };
}
