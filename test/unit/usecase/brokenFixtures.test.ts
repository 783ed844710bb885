import { strict as assert } from 'node:assert';
import { promises as fsp, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Diagnostic } from '../../../src/core/diagnostics/types';
import { applyEdits } from '../applyEdits';
import { nodeFileSystem } from '../../../src/core/fs';
import { validateWorkspaceFiles } from '../../../src/core/usecase/validateFiles';
import { diagnosticCodes } from '../../../src/core/diagnostics/codes';
import { makeWorkspace, testHost } from './workspace';

const fixtures = join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'usecase', 'broken');

function expected(text: string): string[] {
  // Fixtures include CRLF line ends and a byte-order mark on purpose.
  return text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .flatMap((line) => /^#\s*expect:\s*(.*)$/.exec(line)?.[1]?.split(/\s+/).filter(Boolean) ?? [])
    .sort();
}

describe('deliberately broken use-case and SoC files', () => {
  const files = readdirSync(fixtures).filter((f) => /\.(usecase|soc)\.yaml$/.test(f)).sort();

  it('has a fixture for most codes', () => {
    const covered = new Set(files.flatMap((f) => expected(readFileSync(join(fixtures, f), 'utf8')).map((e) => e.split('@')[0])));
    // Budget and SQNR-gate diagnostics come from a profile or quantize result, not from validation (tested in test/unit/profile, test/unit/quantize).
    const fromProfiler = new Set(['AIOS335', 'AIOS336', 'AIOS337', 'AIOS338', 'AIOS339']);
    const missing = Object.keys(diagnosticCodes).filter((c) => !covered.has(c) && !fromProfiler.has(c));
    // Codes without a fixture are exercised in the unit tests (e.g. non-UTF-8 bytes, YAML warnings).
    assert.ok(missing.length <= 10, `codes without a broken fixture: ${missing.join(', ')}`);
  });

  it('gives exactly the declared codes at the declared lines', async () => {
    const ws = await makeWorkspace(fixtures);
    const paths = files.map((f) => join(ws.dir, f));
    const results = await validateWorkspaceFiles(paths, {
      fs: nodeFileSystem,
      catalogRoot: ws.root,
      workspaceFor: () => ws.root,
      host: testHost,
      realPath: (p) => fsp.realpath(p),
    });
    const problems: string[] = [];
    for (const file of files) {
      const want = expected(readFileSync(join(fixtures, file), 'utf8'));
      assert.ok(want.length > 0, `${file} declares no '# expect:'`);
      const got = (results.find((r) => r.file === join(ws.dir, file))?.diagnostics ?? []).map((d) => `${d.code}@${d.range.start.line + 1}`).sort();
      if (JSON.stringify(got) !== JSON.stringify(want)) {
        const all = results.find((r) => r.file === join(ws.dir, file))?.diagnostics ?? [];
        problems.push(`${file}: expected ${want.join(' ')}, got ${got.join(' ')}\n    ${all.map((d) => `${d.code}@${d.range.start.line + 1} ${d.message}`).join('\n    ')}`);
      }
    }
    if (problems.length > 0) assert.fail(problems.join('\n'));
  });

  it('has quick fixes that remove their own diagnostic without breaking the YAML', async () => {
    const ws = await makeWorkspace(fixtures);
    const options = { fs: nodeFileSystem, catalogRoot: ws.root, workspaceFor: () => ws.root, host: testHost, realPath: (p: string) => fsp.realpath(p) };
    const results = await validateWorkspaceFiles(files.map((f) => join(ws.dir, f)), options);
    const syntax = (ds: readonly Diagnostic[]) => ds.filter((d) => /^AIOS10[1-4]$/.test(d.code)).length;
    const problems: string[] = [];
    let tried = 0;
    for (const r of results) {
      const text = readFileSync(r.file, 'utf8');
      for (const d of r.diagnostics) {
        const fix = d.fixes?.find((f) => f.preferred) ?? d.fixes?.[0];
        if (!fix) continue;
        tried++;
        writeFileSync(r.file, applyEdits(text, fix.edits));
        const again = (await validateWorkspaceFiles([r.file], options))[0]?.diagnostics ?? [];
        writeFileSync(r.file, text);
        const still = again.find((x) => x.code === d.code && JSON.stringify(x.path) === JSON.stringify(d.path) && x.range.start.line === d.range.start.line);
        if (still) problems.push(`${basename(r.file)} ${d.code}@${d.range.start.line + 1}: '${fix.title}' leaves ${still.message}`);
        if (syntax(again) > syntax(r.diagnostics)) problems.push(`${basename(r.file)} ${d.code}@${d.range.start.line + 1}: '${fix.title}' breaks the YAML`);
      }
    }
    assert.ok(tried >= 100, `only ${tried} fixes`);
    if (problems.length > 0) assert.fail(problems.join('\n'));
  });
});

