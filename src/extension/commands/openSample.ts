import * as vscode from 'vscode';
import type { ContributionRegistry } from '../commandRegistry';

/** The sample the walkthrough starts from: it has every section (targets, release, dataLoop) and shares its ECU. */
const preferred = 'cockpit/driver-monitoring.usecase.yaml';

/**
 * `aios.openSample`: opens a use case of the workspace (the driver-monitoring sample when the
 * workspace is the repository's samples/ folder or holds it), beside the page the command was
 * run from when that is not a text editor (the walkthrough), so both stay in view.
 */
export function registerOpenSample(registry: ContributionRegistry): void {
  registry.command('aios.openSample', async (): Promise<{ opened: string } | undefined> => {
    const found = await vscode.workspace.findFiles('**/*.{usecase.yaml,usecase.yml}', '**/{node_modules,.aios,.git}/**', 200);
    const sorted = found.sort((a, b) => a.path.localeCompare(b.path));
    const uri = sorted.find((u) => u.path.endsWith(`/${preferred}`)) ?? sorted[0];
    if (!uri) {
      const create = 'New Use Case…';
      const where = vscode.workspace.workspaceFolders?.length ? 'this workspace has no *.usecase.yaml' : 'no folder is open';
      void vscode.window.showInformationMessage(`AIOS: ${where}. Open the samples/ folder of AIOS Workbench (File > Open Folder), or create a use case.`, create).then((picked) => {
        if (picked === create) void vscode.commands.executeCommand('aios.newUseCase');
      });
      return undefined;
    }
    const activeTab = vscode.window.tabGroups.activeTabGroup.activeTab;
    const besidePage = activeTab !== undefined && !(activeTab.input instanceof vscode.TabInputText);
    await vscode.window.showTextDocument(uri, { preview: false, ...(besidePage ? { viewColumn: vscode.ViewColumn.Beside } : {}) });
    return { opened: uri.fsPath };
  });
}
