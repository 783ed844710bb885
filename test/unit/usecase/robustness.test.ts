import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { builtinCatalog } from '../../../src/core/soc/catalog';
import { LineIndex } from '../../../src/core/diagnostics/lineIndex';
import { allDiagnosticCodes } from '../../../src/core/diagnostics/codes';
import type { Diagnostic } from '../../../src/core/diagnostics/types';
import { checkUseCase, validateUseCase } from '../../../src/core/usecase/validateUseCase';
import { ModelMetadataCache } from '../../../src/core/usecase/modelMetadata';
import { validateSoc } from '../../../src/core/soc/validateSoc';
import { builtinTargetInputs } from '../../../src/core/soc/catalog';
import { generateUseCase } from '../../fixtures/usecase/generate';
import { testHost } from './workspace';

const catalog = builtinCatalog(testHost);
const context = { catalog, filePath: '/ws/x.usecase.yaml' };
const known = new Set<string>(allDiagnosticCodes);
const sample = generateUseCase(60);
const socSample = stringify(builtinTargetInputs(testHost)[1]);

/** Diagnostics must be well-formed: known code, a range inside the text, start <= end. */
function assertWellFormed(text: string, diagnostics: readonly Diagnostic[]) {
  const lines = new LineIndex(text);
  for (const d of diagnostics) {
    assert.ok(known.has(d.code), d.code);
    assert.ok(d.message.length > 0);
    const s = lines.offsetAt(d.range.start);
    const e = lines.offsetAt(d.range.end);
    assert.ok(s <= e && e <= text.length, `${d.code} range ${JSON.stringify(d.range)}`);
    assert.ok(d.range.start.line < lines.lineCount && d.range.end.line < lines.lineCount);
    for (const fix of d.fixes ?? []) {
      assert.ok(fix.title.length > 0 && fix.edits.length > 0);
      for (const edit of fix.edits) {
        const es = lines.offsetAt(edit.range.start);
        assert.ok(es <= lines.offsetAt(edit.range.end) && edit.range.end.line < lines.lineCount, `${d.code} fix range`);
      }
    }
  }
}

const runs = { seed: 20261201, numRuns: 200 };

describe('validator robustness (fast-check, fixed seed)', () => {
  it('random bytes only produce diagnostics', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => {
        const text = new TextDecoder().decode(bytes);
        assertWellFormed(text, checkUseCase(text, context).diagnostics);
        assertWellFormed(text, validateSoc(text).diagnostics);
      }),
      runs,
    );
  });

  it('random YAML values only produce diagnostics', () => {
    const key = fc.constantFrom('apiVersion', 'kind', 'name', 'domain', 'model', 'path', 'targets', 'soc', 'budgets', 'latency', 'engines', 'x', '');
    const value = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: 'small' }, fc.constant(null), fc.boolean(), fc.double(), fc.integer(), fc.string(), fc.constantFrom('8ms', '64MiB', 'int8', 'aios/v1'), fc.array(tie('node'), { maxLength: 4 }), fc.dictionary(key, tie('node'), { maxKeys: 5 })),
    })).node;
    fc.assert(
      fc.property(value, fc.boolean(), (v, flow) => {
        const text = stringify(v, { collectionStyle: flow ? 'flow' : 'block' });
        assertWellFormed(text, checkUseCase(text, context).diagnostics);
        assertWellFormed(text, validateSoc(text).diagnostics);
      }),
      runs,
    );
  });

  it('mutations of valid files only produce diagnostics', () => {
    const mutation = fc.record({ at: fc.nat(), del: fc.nat({ max: 12 }), insert: fc.string({ maxLength: 12, unit: fc.constantFrom(' ', '\t', '\n', ':', '-', '[', ']', '{', '}', '"', "'", '#', '&', '*', '!', '|', '>', 'a', '8', '%', '@', '`', '?', ',') }) });
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 4 }), fc.boolean(), (mutations, soc) => {
        let text = soc ? socSample : sample;
        for (const m of mutations) {
          const at = m.at % (text.length + 1);
          text = text.slice(0, at) + m.insert + text.slice(at + m.del);
        }
        assertWellFormed(text, soc ? validateSoc(text).diagnostics : checkUseCase(text, context).diagnostics);
      }),
      runs,
    );
  });

  it('validates a generated 5,000-line file, finding an error planted at its end', () => {
    const text = generateUseCase(5000);
    assert.ok(text.split('\n').length >= 5000);
    assert.deepEqual(checkUseCase(text, context).diagnostics, []);
    const planted = `${text}    - when: gaze.yaw > 1\n      capture: 5\n`;
    const d = checkUseCase(planted, context).diagnostics;
    assert.equal(d.length, 1);
    assert.equal(d[0]?.code, 'AIOS205');
    assert.equal(d[0]?.range.start.line, planted.split('\n').length - 2);
  });
});

describe('validator robustness against failing file systems', () => {
  it('turns I/O errors into diagnostics instead of throwing', async () => {
    const failing = {
      readFile: () => Promise.reject(new Error('EIO: i/o error')),
      stat: () => Promise.reject(Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' })),
      readDirectory: () => Promise.reject(new Error('EACCES: permission denied')),
    };
    const text = generateUseCase(40).replace('data: synthetic', 'data: data/calib').replace('sotif: true', 'sotif: true\n  evidence: [docs/a.md]');
    const { diagnostics } = await validateUseCase(text, {
      fs: failing,
      workspaceRoot: '/ws',
      filePath: '/ws/x.usecase.yaml',
      catalog,
      models: new ModelMetadataCache(() => Promise.reject(new Error('unreachable'))),
    });
    assert.deepEqual(diagnostics.map((d) => d.code), ['AIOS326', 'AIOS326', 'AIOS326']);
    assert.ok(diagnostics.every((d) => /permission denied/.test(d.message)));
  });
});
