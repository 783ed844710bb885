import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { parseAllDocuments } from 'yaml';
import { findFlowBracketProblem, maxFlowDepth } from '../../../src/core/diagnostics/flowBrackets';
import type { Diagnostic } from '../../../src/core/diagnostics/types';
import { parseYaml } from '../../../src/core/diagnostics/yamlDocument';
import { generateUseCase } from '../../fixtures/usecase/generate';
import { applyEdits } from '../applyEdits';

const repo = join(__dirname, '..', '..', '..', '..');

function yamlErrors(text: string): number {
  const docs = parseAllDocuments(text, { prettyErrors: false, uniqueKeys: true, strict: true });
  return Array.isArray(docs) ? docs.reduce((n, d) => n + d.errors.length, 0) : 0;
}

function applyFix(text: string, d: Diagnostic | undefined): string {
  return applyEdits(text, d?.fixes?.[0]?.edits ?? []);
}

const syntax = (text: string) => parseYaml(text).syntaxDiagnostics;
const head = 'apiVersion: aios/v1\nkind: UseCase\nname: x\n';

describe('syntax layer hints', () => {
  describe('flow brackets', () => {
    it('finds nothing in valid files: samples, fixtures the yaml library reads cleanly, the generated 5,000 lines, tricky scalars', () => {
      const files = readdirSync(join(repo, 'samples'), { recursive: true }).map(String).filter((f) => f.endsWith('.yaml')).map((f) => join(repo, 'samples', f));
      const fixtures = readdirSync(join(repo, 'test', 'fixtures', 'usecase', 'broken')).filter((f) => f.endsWith('.yaml')).map((f) => join(repo, 'test', 'fixtures', 'usecase', 'broken', f));
      const texts = [...files, ...fixtures].map((f) => readFileSync(f, 'utf8')).filter((t) => yamlErrors(t) === 0);
      texts.push(generateUseCase(5000));
      texts.push('a: x[0] and {y}\nb: "[" # ]\nc: |\n  [not, a} flow\n  {\nd: [\'it\'\'s ]\', "}", {k: "]"}]\ne: >\n  ]\n');
      assert.ok(texts.length > 40);
      for (const text of texts) assert.equal(findFlowBracketProblem(text), undefined, text.slice(0, 200));
    });

    it('reports a closer that does not match, and whether the opener only lacks its own closer', () => {
      const missing = 'a: [{name: image, shape: [1, 1, 32, 32}]\n';
      assert.deepEqual(findFlowBracketProblem(missing), { kind: 'mismatch', outermost: 3, opener: 25, closer: 38, closesOuter: true });
      const wrong = 'a: [1, 2}\n';
      assert.deepEqual(findFlowBracketProblem(wrong), { kind: 'mismatch', outermost: 3, opener: 3, closer: 8, closesOuter: false });
    });

    it('says one thing about a mismatched bracket, where it is, with a fix that makes the YAML valid', () => {
      for (const text of [`${head}model: {path: m.onnx, inputs: [{name: image, shape: [1, 1, 32, 32}]}\n`, `${head}targets: [{soc: ti-tda4vm]\n`]) {
        const found = syntax(text);
        assert.equal(found.length, 1, JSON.stringify(found.map((d) => d.message)));
        assert.equal(found[0]?.range.start.line, 3);
        assert.match(found[0]?.message ?? '', /opened on line 4, column \d+/);
        assert.equal(yamlErrors(applyFix(text, found[0])), 0, applyFix(text, found[0]));
      }
    });

    it('stops at a depth no use case needs, at the line where the nesting starts (the yaml library would overflow its stack)', () => {
      const text = `${head}safety: ${'['.repeat(3000)}${']'.repeat(3000)}\n`;
      assert.deepEqual(findFlowBracketProblem(text)?.kind, 'tooDeep');
      const found = syntax(text);
      assert.equal(found.length, 1);
      assert.equal(found[0]?.code, 'AIOS101');
      assert.equal(found[0]?.range.start.line, 3);
      assert.match(found[0]?.message ?? '', new RegExp(`more than ${maxFlowDepth} levels`));
    });

    it('never reports a problem in text the yaml library reads without errors (mutated samples, fast-check)', function () {
      // 1,500 parses take ~5 s on a quiet core and over 20 s at a load of 20 on two.
      this.timeout(120_000);
      const base = readFileSync(join(repo, 'samples', 'cockpit', 'driver-monitoring.usecase.yaml'), 'utf8');
      const unit = fc.constantFrom('[', ']', '{', '}', '"', "'", ',', ' ', '#', ': ', '- ', '\n', '|', 'x');
      fc.assert(
        fc.property(fc.nat(), fc.array(unit, { minLength: 1, maxLength: 4 }), (at, inserted) => {
          const i = at % (base.length + 1);
          const text = base.slice(0, i) + inserted.join('') + base.slice(i);
          if (yamlErrors(text) === 0) assert.equal(findFlowBracketProblem(text), undefined, text);
        }),
        { seed: 20261201, numRuns: 1500 },
      );
    });
  });

  it('a key indented under a key that has a value: one error on that line, with the indentation to use', () => {
    for (const [text, line, column] of [
      [`${head}model:\n  path: m.onnx\n   inputs: []\n`, 5, 2],
      [`${head}targets:\n  - soc: ti-tda4vm\n      budgets: {latency: 8ms}\n`, 5, 4],
    ] as const) {
      const found = syntax(text);
      assert.equal(found.length, 1, JSON.stringify(found.map((d) => d.message)));
      assert.equal(found[0]?.range.start.line, line);
      assert.match(found[0]?.message ?? '', new RegExp(`indent it by ${column} spaces`));
      assert.equal(yamlErrors(applyFix(text, found[0])), 0);
    }
  });

  it('control characters: one error per line, with a fix that removes them', () => {
    const text = `${head}description: a\u0007b\u0007c\nowner: x\u0000y\n`;
    const found = syntax(text);
    assert.deepEqual(found.map((d) => [d.code, d.range.start.line]), [['AIOS101', 3], ['AIOS101', 4]]);
    assert.match(found[0]?.message ?? '', /U\+0007/);
    assert.ok(!applyFix(text, found[1]).includes('\u0000'));
  });

  it('a duplicate key names the line of its first occurrence', () => {
    const found = syntax(`${head}model:\n  path: a.onnx\n  path: b.onnx\n`);
    assert.equal(found.length, 1);
    assert.equal(found[0]?.code, 'AIOS103');
    assert.match(found[0]?.message ?? '', /duplicate key 'path' \(first on line 5\)/);
  });
});
