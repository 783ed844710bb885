import * as vscode from 'vscode';
import type { ContributionRegistry } from '../commandRegistry';

/**
 * Commands whose capability has not landed yet. Each says so plainly instead of failing
 * silently; a feature that lands removes its row here and registers the real command.
 */
export const pendingCommands: ReadonlyArray<{ id: string; capability: string }> = [
  { id: 'aios.inspectModel', capability: 'Model inspection' },
  { id: 'aios.quantize', capability: 'Quantization' },
  { id: 'aios.showQuantDiff', capability: 'The quantization diff view' },
  { id: 'aios.profile', capability: 'Profiling against SoC targets' },
  { id: 'aios.showProfile', capability: 'The profile results view' },
  { id: 'aios.release', capability: 'Releasing to a model registry' },
  { id: 'aios.runPipeline', capability: 'The full pipeline' },
  { id: 'aios.setRegistryCredentials', capability: 'Registry credentials' },
  { id: 'aios.releases.refresh', capability: 'Refreshing the release list' },
  { id: 'aios.runs.refresh', capability: 'Refreshing the run history' },
];

export function notAvailableMessage(capability: string): string {
  return `AIOS: ${capability} is not available yet in this version of AIOS Workbench.`;
}

export function registerPendingCommands(registry: ContributionRegistry): void {
  for (const { id, capability } of pendingCommands) {
    registry.command(id, () => {
      void vscode.window.showInformationMessage(notAvailableMessage(capability));
      return { available: false, message: notAvailableMessage(capability) };
    });
  }
}
