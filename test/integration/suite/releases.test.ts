import * as assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import * as vscode from 'vscode';
import type { FetchReport } from '../../../src/core/release/fetch';
import type { RunRecord } from '../../../src/core/tasks/runRecord';
import type { AiosExtensionApi } from '../../../src/extension/extension';
import type { ReleaseNode } from '../../../src/extension/releases/releasesView';
import { freePort, haveHtpasswd, haveRegistry, RegistryServer } from '../../unit/registry/distribution/registryServer';
import { activated, fileUri } from './usecaseHelpers';
import { waitUntil, workspaceRoot } from './util/extension';
import { quickInput } from './util/quickInput';
import { testLog } from '../bridge/client';

const user = 'fleet-ci';
const secret = 'S3cret-only-in-secret-storage';

/** Every file under `dir` (recursive) whose text holds `needle`. */
function filesHolding(dir: string, needle: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name))
    .filter((file) => statSync(file).size < 50_000_000 && readFileSync(file).includes(needle));
}

function labelOf(view: AiosExtensionApi['releases']['view'], node: ReleaseNode): string {
  const label = view.getTreeItem(node).label;
  return typeof label === 'string' ? label : (label?.label ?? '');
}

/** The release's run, followed to its end, with every progress stage it reported. */
async function finished(api: AiosExtensionApi, runId: string): Promise<{ record: RunRecord; stages: string[] }> {
  const stages: string[] = [];
  const subscription = api.tasks.service.onDidChange(() => {
    const stage = api.tasks.service.progressOf(runId)?.stage;
    if (stage !== undefined && stages.at(-1) !== stage) stages.push(stage);
  });
  try {
    let record: RunRecord | undefined;
    await waitUntil(
      `run ${runId} ends`,
      async () => {
        record = (await api.tasks.service.history()).find((r) => r.id === runId);
        return record !== undefined && ['succeeded', 'failed', 'cancelled'].includes(record.status);
      },
      180_000,
    );
    return { record: record!, stages };
  } finally {
    subscription.dispose();
  }
}

describe('releases in the editor: Release lens to a task, Releases view of the embedded and a remote registry, credentials', function () {
  this.timeout(400_000);
  let server: RegistryServer | undefined;
  const savedConfig = process.env['AIOS_CONFIG_DIR'];

  before(async function () {
    if (!haveRegistry || !haveHtpasswd) this.skip();
    // The default signing key and trust store go to a fresh config folder (the job processes inherit it).
    process.env['AIOS_CONFIG_DIR'] = mkdtempSync(join(tmpdir(), 'aios-it-config-'));
    server = await RegistryServer.start({ basicAuth: { username: user, password: secret } });
  });
  after(async () => {
    await vscode.workspace.getConfiguration('aios').update('registries', undefined, vscode.ConfigurationTarget.Workspace);
    await server?.stop();
    if (savedConfig === undefined) delete process.env['AIOS_CONFIG_DIR'];
    else process.env['AIOS_CONFIG_DIR'] = savedConfig;
  });

  it('releases from the lens as a task (gates run the missing quantize and profile, upload progress), lists, verifies, promotes, pulls and opens the manifest; a remote answers 401 until credentials are set, then takes a release', async () => {
    const api = await activated();
    const view = api.releases.view;
    const folder = 'release-it';
    cpSync(resolve(workspaceRoot().fsPath, 'chassis'), join(workspaceRoot().fsPath, folder), { recursive: true });
    const useCase = fileUri(`${folder}/road-surface.usecase.yaml`);
    // A repository of its own: other suites may release the samples into the same embedded registry.
    writeFileSync(useCase.fsPath, readFileSync(useCase.fsPath, 'utf8').replace('repository: aios/road-surface', 'repository: it/road-surface'));

    // 1. The Release lens's command queues a release task into the embedded registry.
    const queued = await vscode.commands.executeCommand<{ available?: boolean; runId?: string }>('aios.release', useCase);
    assert.equal(queued.available, true, JSON.stringify(queued));
    const local = await finished(api, queued.runId!);
    assert.equal(local.record.status, 'succeeded', local.record.error);
    const summary = local.record.summary as { released: boolean; reference: string; gates: Array<{ name: string; detail: string }> };
    assert.equal(summary.released, true, JSON.stringify(summary.gates));
    assert.ok(local.stages.includes('upload'), `upload progress reported: ${local.stages.join(', ')}`);
    assert.ok(local.stages.some((s) => s.startsWith('quantize: ')) && local.stages.some((s) => s.startsWith('profile: ')), `the gates ran the missing jobs: ${local.stages.join(', ')}`);

    // 2. The view shows the version and channel in the embedded registry.
    const [localNode] = await view.getChildren();
    assert.equal(localNode?.kind, 'registry');
    const repositories = await view.getChildren(localNode);
    const repository = repositories.find((r) => r.kind === 'repository' && r.repository === 'it/road-surface');
    assert.ok(repository, JSON.stringify(repositories));
    const tags = await view.getChildren(repository);
    assert.deepEqual(tags.map((t) => labelOf(view, t)), ['0.9.0', 'validation']);
    const version = tags[0]!;
    assert.equal(view.getTreeItem(version).contextValue, 'aios.release.version');

    // 3. Verify, promote, open the manifest and pull from the view.
    const verified = await vscode.commands.executeCommand<FetchReport | undefined>('aios.releases.verify', version);
    assert.equal(verified?.verified, true, JSON.stringify(verified?.problems));
    const promoted = await vscode.commands.executeCommand<{ channel: string } | undefined>('aios.releases.promote', version, 'production');
    assert.equal(promoted?.channel, 'production');
    assert.deepEqual((await view.getChildren(repository)).map((t) => labelOf(view, t)), ['0.9.0', 'production', 'validation']);
    const editor = await vscode.commands.executeCommand<vscode.TextEditor | undefined>('aios.releases.openManifest', version);
    assert.equal(editor?.document.uri.scheme, 'aios-manifest');
    const shown = JSON.parse(editor!.document.getText()) as { digest: string; manifest: { artifactType: string } };
    assert.equal(shown.manifest.artifactType, 'application/vnd.cncf.model.manifest.v1+json');
    assert.equal(shown.digest, (version as { digest: string }).digest);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    const out = join(mkdtempSync(join(tmpdir(), 'aios-it-pull-')), 'release');
    const pulled = await vscode.commands.executeCommand<FetchReport | undefined>('aios.releases.pull', version, out);
    assert.equal(pulled?.verified, true);
    assert.ok(existsSync(join(out, 'models', 'road-surface-cnn.onnx')), `pulled: ${JSON.stringify(pulled?.files)}`);

    // 4. A configured remote without credentials: 401 on its node, offering Set Credentials; an unreachable one says so.
    const closed = `127.0.0.1:${await freePort()}`;
    await vscode.workspace.getConfiguration('aios').update('registries', [`oci://${server!.host}`, `oci://${closed}`], vscode.ConfigurationTarget.Workspace);
    const roots = await view.getChildren();
    assert.deepEqual(roots.map((r) => labelOf(view, r)), ['Local (.aios/registry)', `oci://${server!.host}`, `oci://${closed}`]);
    const [remoteProblem] = await view.getChildren(roots[1]);
    assert.match(labelOf(view, remoteProblem!), /401.*set credentials/i);
    assert.equal(view.getTreeItem(remoteProblem!).command?.command, 'aios.setRegistryCredentials');
    assert.deepEqual(view.getTreeItem(remoteProblem!).command?.arguments, [server!.host]);
    const [unreachable] = await view.getChildren(roots[2]);
    assert.match(labelOf(view, unreachable!), /Cannot reach .*aios\.registries/);

    // 5. The credential prompt (as from the 401 node): registry, user, password in a password box; kept in secret storage.
    const command = view.getTreeItem(remoteProblem!).command!;
    const stored = vscode.commands.executeCommand<string | undefined>(command.command, ...(command.arguments ?? []));
    await quickInput.waitFor({ visible: true, title: '(1/3)', value: server!.host });
    await quickInput.press('Enter');
    await quickInput.waitFor({ visible: true, title: '(2/3)', value: '' });
    await quickInput.type(user);
    await quickInput.press('Enter');
    await quickInput.waitFor({ visible: true, title: '(3/3)', value: '' });
    await quickInput.type(secret);
    await quickInput.press('Enter');
    await testLog('releases: password entered');
    assert.equal(await Promise.race([stored, new Promise((r) => setTimeout(() => r('the command did not finish within 20 s of the last input'), 20_000))]), server!.host);

    // 6. A release into the remote: the job asks the editor for the credentials; the view then lists it; verify passes.
    const remoteRun = api.tasks.enqueueForUseCase('release', useCase, { registry: `oci://${server!.host}` });
    assert.ok(remoteRun.available, JSON.stringify(remoteRun));
    const remote = await finished(api, remoteRun.runId);
    assert.equal(remote.record.status, 'succeeded', remote.record.error);
    assert.equal((remote.record.summary as { released: boolean }).released, true);
    const [remoteRepository] = await view.getChildren((await view.getChildren())[1]);
    assert.equal(remoteRepository?.kind === 'repository' && remoteRepository.repository, 'it/road-surface');
    const remoteTags = await view.getChildren(remoteRepository);
    assert.deepEqual(remoteTags.map((t) => labelOf(view, t)), ['0.9.0', 'validation']);
    const remoteVerified = await vscode.commands.executeCommand<FetchReport | undefined>('aios.releases.verify', remoteTags[0]);
    assert.equal(remoteVerified?.verified, true, JSON.stringify(remoteVerified?.problems));

    // 7. The secret is in no log, setting or run record.
    const logs = dirname(api.logFolder);
    await waitUntil('the AIOS log shows the stored credentials line', () => filesHolding(logs, `registry credentials for ${server!.host} stored`).length > 0, 20_000);
    assert.deepEqual(filesHolding(logs, secret), [], 'no log file holds the password');
    assert.deepEqual(filesHolding(join(workspaceRoot().fsPath, '.aios'), secret), [], 'no run record or log under .aios holds it');
    assert.deepEqual(filesHolding(join(workspaceRoot().fsPath, '.vscode'), secret), [], 'no setting holds it');
  });
});
