import * as vscode from 'vscode';
import type { AiosExtensionApi } from '../../../../src/extension/extension';

export const extensionId = 'aios.aios-workbench';

export function aiosExtension(): vscode.Extension<AiosExtensionApi> {
  const extension = vscode.extensions.getExtension<AiosExtensionApi>(extensionId);
  if (!extension) throw new Error(`${extensionId} is not loaded in this VS Code window`);
  return extension;
}

/** Polls `condition` (there is no event for it) until it holds or `timeoutMs` passes. */
export async function waitUntil(what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export function workspaceRoot(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('the integration suite expects a workspace folder (the copy of samples/)');
  return folder.uri;
}

interface ManifestContributes {
  commands?: Array<{ command: string }>;
  views?: Record<string, Array<{ id: string }>>;
}

/** Command and view ids declared in the manifest VS Code loaded for the extension. */
export function manifestIds(extension: vscode.Extension<unknown>): { commands: string[]; views: string[] } {
  const contributes = (extension.packageJSON as { contributes?: ManifestContributes }).contributes ?? {};
  return {
    commands: (contributes.commands ?? []).map((c) => c.command),
    views: Object.values(contributes.views ?? {}).flatMap((list) => list.map((v) => v.id)),
  };
}
