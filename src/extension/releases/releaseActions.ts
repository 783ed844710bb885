import { basename, join } from 'node:path';
import * as vscode from 'vscode';
import { parseReference, type Reference } from '../../core/registry/reference';
import { isRegistryError } from '../../core/registry/registry';
import { fetchRelease, type FetchReport } from '../../core/release/fetch';
import { defaultKeyDir, defaultKeyFile, defaultKeyName, loadSigningKey, loadTrustedKeys } from '../../core/release/keys';
import { channels, promoteRelease } from '../../core/release/promote';
import { TrustStore } from '../../core/release/trustStore';
import { referenceOf, type ReleaseNode, type ReleasesTreeProvider } from './releasesView';

type TagNode = Extract<ReleaseNode, { kind: 'tag' }>;

/** The scheme of the read-only manifest documents (`Open Manifest`). */
export const manifestScheme = 'aios-manifest';

/**
 * Pull, verify, promote and open manifest on a version or channel of the Releases view (or a
 * reference typed in, from the palette). Registry errors say what to do; a 401 offers to set
 * credentials. Each resolves with its result for the caller (and tests), undefined when dismissed.
 */
export class ReleaseActions {
  constructor(
    private readonly view: ReleasesTreeProvider,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  async verify(arg: unknown): Promise<FetchReport | undefined> {
    const reference = await this.referenceFrom(arg, 'verify');
    if (!reference) return undefined;
    const report = await this.fetch(reference, 'Verifying');
    if (!report) return undefined;
    this.log.info(`verify ${report.reference}: ${report.verified ? 'verified' : `NOT verified: ${report.problems.join('; ')}`}`);
    if (report.verified) void vscode.window.showInformationMessage(`AIOS: verified ${report.reference}: version ${report.version}, channel ${report.channel}, rollout ${report.rolloutPercent}%, signature, hashes, lengths, expiry and rollback checked.`);
    else void vscode.window.showErrorMessage(`AIOS: ${report.reference} is NOT verified: ${report.problems.join('; ')}`);
    return report;
  }

  /** `outDir` (tests, scripts): a new or empty folder; otherwise the user picks a parent folder and a new one named for the release is made in it. */
  async pull(arg: unknown, outDir?: string): Promise<FetchReport | undefined> {
    const reference = await this.referenceFrom(arg, 'pull');
    if (!reference) return undefined;
    let target = outDir;
    if (target === undefined) {
      const picked = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, canSelectMany: false, openLabel: 'Pull here', title: `Pull ${reference.repository}:${reference.tag ?? ''} into a new folder in…` });
      const parent = picked?.[0]?.fsPath;
      if (parent === undefined) return undefined;
      target = join(parent, `${basename(reference.repository)}-${reference.tag ?? reference.digest?.slice(7, 19) ?? 'release'}`);
    }
    const report = await this.fetch(reference, 'Pulling', target);
    if (!report) return undefined;
    this.log.info(`pull ${report.reference} into ${target}: ${report.verified ? `${report.files?.length ?? 0} files` : `refused: ${report.problems.join('; ')}`}`);
    if (report.verified) {
      const folder = vscode.Uri.file(target);
      // Not awaited: the notification stays until the user answers, the pull is done now.
      void vscode.window.showInformationMessage(`AIOS: pulled and verified ${report.reference}: ${report.files?.length ?? 0} files in ${target}.`, 'Reveal').then((open) => open === 'Reveal' && vscode.commands.executeCommand('revealFileInOS', folder));
    } else void vscode.window.showErrorMessage(`AIOS: ${report.reference} did not verify, so nothing was written: ${report.problems.join('; ')}`);
    return report;
  }

  /** Moves a channel to this release, signed with the default key (the one `aios keys init` made). */
  async promote(arg: unknown, channelArg?: string): Promise<{ reference: string; channel: string; digest: string } | undefined> {
    const reference = await this.referenceFrom(arg, 'promote');
    if (!reference) return undefined;
    const channel = channelArg ?? (await vscode.window.showQuickPick([...channels], { title: `Promote ${reference.repository}:${reference.tag ?? ''} to channel…`, placeHolder: 'The channel tag to move to this release' }));
    if (channel === undefined) return undefined;
    return this.guard(reference, async () => {
      const key = await loadSigningKey(defaultKeyFile());
      const result = await promoteRelease({ registry: this.view.registryOf(reference.registry), reference, channel, key, now: new Date() });
      this.log.info(`promote ${result.reference} to ${result.channel} (${result.digest})`);
      this.view.refresh();
      void vscode.window.showInformationMessage(`AIOS: ${result.channel} now points at ${result.reference} (${result.digest.slice(0, 19)}), rollout ${result.rolloutPercent}%.`);
      return result;
    });
  }

  /** Opens the manifest as a read-only JSON document. */
  async openManifest(arg: unknown): Promise<vscode.TextEditor | undefined> {
    const reference = await this.referenceFrom(arg, 'open the manifest of');
    if (!reference) return undefined;
    const text = reference.registry.kind === 'local' ? `local:${reference.repository}:${reference.tag ?? reference.digest ?? ''}` : `oci://${reference.registry.authority}/${reference.repository}:${reference.tag ?? reference.digest ?? ''}`;
    const uri = vscode.Uri.from({ scheme: manifestScheme, path: `/${reference.repository}/${reference.tag ?? 'manifest'}.json`, query: text });
    const document = await vscode.workspace.openTextDocument(uri);
    return vscode.window.showTextDocument(document, { preview: true });
  }

  /** The content of a manifest document: the manifest's JSON, indented, with its digest. */
  async manifestText(uri: vscode.Uri): Promise<string> {
    const parsed = parseReference(uri.query);
    if (!parsed.ok) return `// ${parsed.error}`;
    const reference = parsed.value;
    try {
      const manifest = await this.view.registryOf(reference.registry).getManifest(reference.repository, reference.digest ?? reference.tag ?? '');
      return JSON.stringify({ digest: manifest.digest, mediaType: manifest.mediaType, manifest: JSON.parse(new TextDecoder().decode(manifest.bytes)) as unknown }, null, 2);
    } catch (error) {
      return JSON.stringify({ error: error instanceof Error ? error.message : String(error) }, null, 2);
    }
  }

  private async fetch(reference: Reference, verb: string, outDir?: string): Promise<FetchReport | undefined> {
    return this.guard(reference, async () => {
      const trusted = await loadTrustedKeys(join(defaultKeyDir(), `${defaultKeyName}.pub`));
      return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `AIOS: ${verb} ${reference.repository}:${reference.tag ?? ''}`, cancellable: true }, async (progress, token) => {
        const controller = new AbortController();
        const subscription = token.onCancellationRequested(() => controller.abort(new Error('cancelled')));
        let reported = 0;
        try {
          return await fetchRelease({
            registry: this.view.registryOf(reference.registry),
            reference,
            trusted,
            trustStore: TrustStore.default(),
            now: new Date(),
            ...(outDir !== undefined ? { outDir } : {}),
            signal: controller.signal,
            progress: (done, total) => {
              const percent = total > 0 ? (done / total) * 100 : 100;
              progress.report({ increment: percent - reported, message: `${(done / 1048576).toFixed(1)} of ${(total / 1048576).toFixed(1)} MiB` });
              reported = percent;
            },
          });
        } finally {
          subscription.dispose();
        }
      });
    });
  }

  /** Runs `work`; a failure is shown with what to do (a 401 offers Set Credentials) and logged, and resolves undefined. */
  private async guard<T>(reference: Reference, work: () => Promise<T>): Promise<T | undefined> {
    try {
      return await work();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.log.warn(`${reference.repository}: ${message}`);
      if (reference.registry.kind === 'oci' && isRegistryError(error, 'unauthorized')) {
        const authority = reference.registry.authority;
        void vscode.window.showErrorMessage(`AIOS: ${authority} refused the request (401): credentials are missing or wrong. ${message}`, 'Set Credentials…').then((pick) => pick && vscode.commands.executeCommand('aios.setRegistryCredentials', authority));
      } else void vscode.window.showErrorMessage(`AIOS: ${message}`);
      return undefined;
    }
  }

  /** A tag row of the view, a reference text, or (from the palette) one typed in. */
  private async referenceFrom(arg: unknown, verb: string): Promise<Reference | undefined> {
    let text: string | undefined;
    if (isTagNode(arg)) text = referenceOf(arg);
    else if (typeof arg === 'string') text = arg;
    else {
      text = await vscode.window.showInputBox({
        title: `AIOS: release to ${verb}`,
        prompt: 'A release reference: local:repo:tag or oci://host[:port]/repo:tag',
        validateInput: (t) => {
          const parsed = parseReference(t);
          return parsed.ok ? undefined : parsed.error;
        },
      });
    }
    if (text === undefined) return undefined;
    const parsed = parseReference(text);
    if (!parsed.ok) {
      void vscode.window.showErrorMessage(`AIOS: ${parsed.error}`);
      return undefined;
    }
    return parsed.value;
  }
}

function isTagNode(arg: unknown): arg is TagNode {
  return typeof arg === 'object' && arg !== null && (arg as { kind?: unknown }).kind === 'tag';
}
