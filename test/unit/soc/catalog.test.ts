import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { nodeFileSystem } from '../../../src/core/fs';
import { builtinCatalog, builtinTargetInputs, enginesSupporting, peakOps, totalMemoryBytes } from '../../../src/core/soc/catalog';
import { loadCatalog } from '../../../src/core/soc/loadCatalog';
import { socSchema, type SocTarget } from '../../../src/core/soc/schema';
import { validateSoc } from '../../../src/core/soc/validateSoc';
import { testHost } from '../usecase/workspace';
import { runCliCaptured } from '../cli/runCli';

const specIds = [
  'host-cpu', 'nvidia-drive-orin', 'nvidia-drive-thor', 'qualcomm-sa8295p', 'qualcomm-sa8650p', 'ti-tda4vm',
  'renesas-rcar-v4h', 'mobileye-eyeq6h', 'horizon-journey5', 'nxp-imx8mp', 'infineon-aurix-tc4x', 'cloud-gpu',
];

/** Every `{value, source}` figure of a target, with its path. */
function figures(node: unknown, path = ''): Array<{ path: string; source: { kind: string; ref?: string; note?: string } }> {
  if (typeof node !== 'object' || node === null) return [];
  const record = node as Record<string, unknown>;
  if ('value' in record && 'source' in record) return [{ path, source: record['source'] as { kind: string } }];
  return Object.entries(record).flatMap(([k, v]) => figures(v, `${path}.${k}`));
}

describe('SoC catalog', () => {
  it('ships every target SPEC §2 requires, each valid against the SoC schema', () => {
    const catalog = builtinCatalog(testHost);
    assert.deepEqual(catalog.ids(), [...specIds].sort());
    for (const input of builtinTargetInputs(testHost)) {
      const r = socSchema.safeParse(input);
      assert.ok(r.success, `${input.id}: ${r.success ? '' : JSON.stringify(r.error.issues)}`);
    }
  });

  it('gives every figure a source: a public document (its address and what it says there), a measurement, or an estimate saying how it was made', () => {
    const withoutDocument: string[] = [];
    for (const input of builtinTargetInputs(testHost)) {
      const all = figures(input);
      assert.ok(all.length >= 8, `${input.id} has ${all.length} figures`);
      for (const f of all) {
        const where = `${input.id}${f.path}`;
        if (f.source.kind === 'datasheet') {
          assert.match(f.source.ref ?? '', /^https?:\/\/\S+$/, `${where}: a datasheet source names the address of the document`);
          assert.ok(f.source.note && f.source.note.length > 10, `${where}: a datasheet source says what the document states`);
        } else if (f.source.kind === 'measurement') assert.ok(f.source.ref && f.source.ref.length > 5, where);
        else assert.ok(f.source.note && f.source.note.length > 5, where);
      }
      if (input.id !== 'host-cpu' && !all.some((f) => f.source.kind === 'datasheet')) withoutDocument.push(input.id);
    }
    // Targets none of whose figures we found in a public document: every figure is an estimate.
    assert.deepEqual(withoutDocument.sort(), ['infineon-aurix-tc4x', 'mobileye-eyeq6h', 'qualcomm-sa8650p']);
  });

  it('describes this machine from what the OS reports, and marks the rest as estimates', () => {
    const host = builtinCatalog(testHost).get('host-cpu') as SocTarget;
    assert.equal(totalMemoryBytes(host), 16 * 1024 ** 3);
    assert.equal(host.memories[0]?.size.source.kind, 'measurement');
    assert.equal(host.engines[0]?.clock?.value.value, 3e9);
    assert.equal(host.engines[0]?.precisions.fp32?.peak.source.kind, 'estimate');
    assert.equal(peakOps(host, 'fp32'), 4 * 3000e6 * 16);
  });

  it('knows which engines support which precision', () => {
    const catalog = builtinCatalog(testHost);
    const orin = catalog.get('nvidia-drive-orin') as SocTarget;
    assert.equal(enginesSupporting(orin, 'int8')[0]?.kind, 'gpu');
    assert.equal(enginesSupporting(catalog.get('infineon-aurix-tc4x') as SocTarget, 'fp16').length, 0);
    assert.ok(enginesSupporting(catalog.get('qualcomm-sa8650p') as SocTarget, 'int4-weight').some((e) => e.kind === 'npu'));
  });

  it('round-trips every built-in target through a .soc.yaml without diagnostics', () => {
    for (const input of builtinTargetInputs(testHost)) {
      const text = stringify({ ...input, id: `copy-of-${input.id}` });
      const check = validateSoc(text);
      assert.deepEqual(check.diagnostics, [], input.id);
    }
  });

  it('adds and overrides targets from the workspace .aios/targets folder', async () => {
    const root = mkdtempSync(join(tmpdir(), 'aios-targets-'));
    const dir = join(root, '.aios', 'targets');
    mkdirSync(dir, { recursive: true });
    const [orin] = builtinTargetInputs(testHost).filter((t) => t.id === 'nvidia-drive-orin');
    writeFileSync(join(dir, 'orin.soc.yaml'), stringify({ ...orin, name: 'Orin as configured in our ECU' }));
    writeFileSync(join(dir, 'lab-board.soc.yaml'), stringify({ ...orin, id: 'lab-board', name: 'Lab board', vendor: 'Us' }));
    writeFileSync(join(dir, 'broken.soc.yaml'), 'apiVersion: aios/v1\nkind: SocTarget\nid: broken\n');
    const { catalog, files } = await loadCatalog(nodeFileSystem, root, testHost);
    assert.equal(catalog.get('nvidia-drive-orin')?.name, 'Orin as configured in our ECU');
    assert.equal(catalog.entry('nvidia-drive-orin')?.overridesBuiltin, true);
    assert.equal(catalog.get('lab-board')?.vendor, 'Us');
    assert.equal(catalog.get('broken'), undefined);
    assert.ok(files.find((f) => f.file.endsWith('broken.soc.yaml'))?.diagnostics.some((d) => d.code === 'AIOS207'));

    const json = await runCliCaptured(['targets', '--json'], root);
    assert.equal(json.code, 0);
    const doc = JSON.parse(json.stdout) as { targets: Array<{ id: string; name: string; vendor: string; engines: Array<{ kind: string }>; source: string }> };
    assert.deepEqual(doc.targets.map((t) => t.id), [...specIds, 'lab-board'].sort());
    assert.equal(doc.targets.find((t) => t.id === 'lab-board')?.source, join('.aios', 'targets', 'lab-board.soc.yaml'));
    assert.equal(doc.targets.find((t) => t.id === 'ti-tda4vm')?.source, 'builtin');
    assert.ok(doc.targets.every((t) => t.engines.length > 0 && t.name && t.vendor));
    assert.match(json.stderr, /broken\.soc\.yaml/);

    const human = await runCliCaptured(['targets'], root);
    assert.match(human.stdout, /^id\s+vendor/);
    assert.match(human.stdout, /lab-board .*\.aios\/targets\/lab-board\.soc\.yaml/);
    assert.match(human.stdout, /nvidia-drive-orin .*overrides built-in/);
  });

  it('prints memory in the units the datasheet states and picks GOPS or TOPS per peak', async () => {
    const human = await runCliCaptured(['targets'], mkdtempSync(join(tmpdir(), 'aios-targets-')));
    const row = (id: string) => human.stdout.split('\n').find((line) => line.startsWith(`${id} `))?.trim().split(/\s+/) ?? [];
    // id vendor engines int8 fp16 memory sustained source; a 16GB DRAM part plus 8MiB of SRAM.
    assert.deepEqual(row('qualcomm-sa8295p').slice(3, 6), ['30TOPS', '7.5TOPS', '16.01GB']);
    assert.deepEqual(row('nxp-imx8mp').slice(3, 6), ['2.3TOPS', '500GOPS', '4.001GB']);
    assert.deepEqual(row('infineon-aurix-tc4x').slice(3, 6), ['64GOPS', '-', '6MiB']);
    assert.match(row('host-cpu')[5] ?? '', /^\d+(\.\d+)?[KMG]iB$/);
  });
});
