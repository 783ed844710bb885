import * as vscode from 'vscode';
import { capabilities } from '../../core/capabilities/table';
import { targetAnchors, targetAnchorsInText } from '../../core/usecase/editor/anchors';
import { Disposable } from '../util/dispose';
import type { UseCaseWorkspace } from './useCaseWorkspace';

/** Commands that run models or push releases: the manifest shows them only in a trusted workspace. */
const trustedOnly = new Set(capabilities.filter((c) => c.needsTrust).flatMap((c) => c.commands));

/**
 * Lenses at the top of a use case (Validate · Inspect model · Quantize · Release) and on each
 * target the catalog knows (Profile on <target>). Each runs its command with the document's URI; commands whose
 * capability has not landed say so when run. In a restricted workspace the lenses that would
 * run something give way to one that says why and opens the trust editor.
 */
export class UseCaseCodeLensProvider extends Disposable implements vscode.CodeLensProvider {
  private readonly changed = this._register(new vscode.EventEmitter<void>());
  readonly onDidChangeCodeLenses = this.changed.event;

  constructor(private readonly workspace: UseCaseWorkspace) {
    super();
    this._register(vscode.workspace.onDidGrantWorkspaceTrust(() => this.changed.fire()));
    this._register(workspace.onDidChangeCatalog(() => this.changed.fire()));
  }

  async provideCodeLenses(document: vscode.TextDocument): Promise<vscode.CodeLens[]> {
    const top = new vscode.Range(0, 0, 0, 0);
    const uri = document.uri;
    const lenses = [
      new vscode.CodeLens(top, { title: '$(check) Validate', command: 'aios.validate', arguments: [uri], tooltip: 'Check syntax, schema, model, targets and references' }),
      new vscode.CodeLens(top, { title: 'Inspect model', command: 'aios.inspectModel', arguments: [uri], tooltip: 'Open the model in model.path in the graph view' }),
      new vscode.CodeLens(top, { title: 'Quantize', command: 'aios.quantize', arguments: [uri], tooltip: 'Quantize the model as the quantization block says' }),
      new vscode.CodeLens(top, { title: 'Release', command: 'aios.release', arguments: [uri], tooltip: 'Run the gates, pack, sign and push to the registry' }),
    ];
    // Lenses are asked for on every keystroke: reuse a parse of this version, else scan lines.
    const parsed = this.workspace.cachedParse(document);
    const anchors = parsed ? targetAnchors(parsed.document) : targetAnchorsInText(document.getText());
    const catalog = await this.workspace.catalogFor(uri);
    for (const anchor of anchors) {
      // An id the catalog does not know is flagged (AIOS308): there is nothing to profile on.
      if (anchor.soc === undefined || !catalog.get(anchor.soc)) continue;
      const line = document.positionAt(anchor.offset).line;
      lenses.push(
        new vscode.CodeLens(new vscode.Range(line, 0, line, 0), {
          title: `Profile on ${anchor.soc}`,
          command: 'aios.profile',
          arguments: [uri, anchor.soc],
          tooltip: `Estimate latency, memory and power on ${anchor.soc} against this target's budgets`,
        }),
      );
    }
    if (vscode.workspace.isTrusted) return lenses;
    return [
      ...lenses.filter((lens) => !trustedOnly.has(lens.command?.command ?? '')),
      new vscode.CodeLens(top, {
        title: '$(shield) Restricted mode: trust this folder to quantize, profile and release',
        command: 'workbench.trust.manage',
        tooltip: 'AIOS Workbench runs no models, tasks or releases in a restricted workspace; validation and editing work as usual.',
      }),
    ];
  }
}
