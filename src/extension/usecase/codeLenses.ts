import * as vscode from 'vscode';
import { targetAnchors, targetAnchorsInText } from '../../core/usecase/editor/anchors';
import type { UseCaseWorkspace } from './useCaseWorkspace';

/**
 * Lenses at the top of a use case (Validate · Inspect model · Quantize · Release) and on each
 * target (Profile on <target>). Each runs its command with the document's URI; commands whose
 * capability has not landed say so when run.
 */
export class UseCaseCodeLensProvider implements vscode.CodeLensProvider {
  constructor(private readonly workspace: UseCaseWorkspace) {}

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const top = new vscode.Range(0, 0, 0, 0);
    const uri = document.uri;
    const lenses = [
      new vscode.CodeLens(top, { title: '$(check) Validate', command: 'aios.validate', arguments: [uri], tooltip: 'Check syntax, schema, model, targets and references' }),
      new vscode.CodeLens(top, { title: 'Inspect model', command: 'aios.inspectModel', arguments: [uri], tooltip: 'Summary of the model in model.path' }),
      new vscode.CodeLens(top, { title: 'Quantize', command: 'aios.quantize', arguments: [uri], tooltip: 'Quantize the model as the quantization block says' }),
      new vscode.CodeLens(top, { title: 'Release', command: 'aios.release', arguments: [uri], tooltip: 'Run the gates, pack, sign and push to the registry' }),
    ];
    // Lenses are asked for on every keystroke: reuse a parse of this version, else scan lines.
    const parsed = this.workspace.cachedParse(document);
    const anchors = parsed ? targetAnchors(parsed.document) : targetAnchorsInText(document.getText());
    for (const anchor of anchors) {
      if (anchor.soc === undefined) continue;
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
    return lenses;
  }
}
