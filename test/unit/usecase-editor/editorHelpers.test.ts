import * as assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseYaml } from '../../../src/core/diagnostics/yamlDocument';
import { nodeFileSystem } from '../../../src/core/fs';
import { writeModelFile } from '../../../src/core/onnx/write';
import { cnnClassifier } from '../../../src/core/onnx/fixtures';
import { readModelFile } from '../../../src/core/onnx/read';
import { builtinCatalog, type HostInfo } from '../../../src/core/soc/catalog';
import { socSchema } from '../../../src/core/soc/schema';
import { ModelMetadataCache } from '../../../src/core/usecase/modelMetadata';
import { useCaseSchema } from '../../../src/core/usecase/schema';
import { checkUseCase, validateUseCase } from '../../../src/core/usecase/validateUseCase';
import { targetAnchors, targetAnchorsInText, writtenModelPath } from '../../../src/core/usecase/editor/anchors';
import { keyDocMarkdown } from '../../../src/core/usecase/editor/keyDoc';
import { commonPrecision, nameProblem, newUseCaseText } from '../../../src/core/usecase/editor/newUseCase';
import { outline, type OutlineSymbol } from '../../../src/core/usecase/editor/outline';
import { referenceFrom, referencesFrom, splitTyped } from '../../../src/core/usecase/editor/references';
import { itemSnippet, keySnippet } from '../../../src/core/usecase/editor/snippets';
import { generateUseCase } from '../../fixtures/usecase/generate';
import { engineFigures, targetDetail, targetMarkdown } from '../../../src/core/usecase/editor/targetFigures';
import { nodeAt } from '../../../src/core/usecase/editor/yamlNodeAt';

const host: HostInfo = { cpuModel: 'Test CPU', logicalCores: 4, cpuMHz: 3000, totalMemoryBytes: 16 * 1024 ** 3 };
const catalog = builtinCatalog(host);

const sample = `apiVersion: aios/v1
kind: UseCase
name: dms
domain: cockpit
model:
  path: models/dms.onnx
  inputs: [{name: image, shape: [1, 1, 96, 96], dtype: float32}]
targets:
  - soc: qualcomm-sa8295p
    engine: npu
    budgets: {latency: 8ms, fps: 30}
  - soc: ti-tda4vm
`;

function find(symbols: readonly OutlineSymbol[], name: string): OutlineSymbol | undefined {
  for (const s of symbols) {
    if (s.name === name) return s;
    const inner = find(s.children, name);
    if (inner) return inner;
  }
  return undefined;
}

describe('use-case editor helpers', () => {
  describe('nodeAt', () => {
    const parsed = parseYaml(sample);
    it('finds the key under the offset with its path and span', () => {
      const offset = sample.indexOf('engine: npu') + 2;
      const hit = nodeAt(parsed.document, offset);
      assert.deepEqual(hit?.path, ['targets', 0, 'engine']);
      assert.equal(hit?.on, 'key');
      assert.equal(sample.slice(hit?.span[0], hit?.span[1]), 'engine');
    });
    it('finds scalar values, also inside flow collections', () => {
      const soc = nodeAt(parsed.document, sample.indexOf('ti-tda4vm') + 3);
      assert.deepEqual(soc?.path, ['targets', 1, 'soc']);
      assert.equal(soc?.on, 'value');
      assert.equal(soc?.value, 'ti-tda4vm');
      const dtype = nodeAt(parsed.document, sample.indexOf('float32') + 1);
      assert.deepEqual(dtype?.path, ['model', 'inputs', 0, 'dtype']);
      const dim = nodeAt(parsed.document, sample.indexOf('96, 96') + 4);
      assert.deepEqual(dim?.path, ['model', 'inputs', 0, 'shape', 3]);
    });
    it('returns undefined off any node and for an empty document', () => {
      assert.equal(nodeAt(parseYaml('').document, 0), undefined);
      assert.equal(nodeAt(parseYaml('a: [1, 2]\n\n\n').document, 12), undefined);
    });
  });

  describe('outline', () => {
    const symbols = outline(parseYaml(sample).document, useCaseSchema);
    it('lists the top-level keys in order, sections as modules', () => {
      assert.deepEqual(symbols.map((s) => s.name), ['apiVersion', 'kind', 'name', 'domain', 'model', 'targets']);
      assert.equal(find(symbols, 'model')?.kind, 'module');
      assert.equal(find(symbols, 'targets')?.kind, 'array');
      assert.equal(find(symbols, 'targets')?.detail, '2 items');
    });
    it('names list items by their soc or name, with the other scalars as detail', () => {
      const targets = find(symbols, 'targets');
      assert.deepEqual(targets?.children.map((c) => c.name), ['qualcomm-sa8295p', 'ti-tda4vm']);
      assert.equal(targets?.children[0]?.detail, 'engine: npu');
      assert.equal(find(symbols, 'image')?.kind, 'object');
    });
    it('gives enum values, numbers and quantities their kinds, and ranges that contain the selection', () => {
      assert.equal(find(symbols, 'domain')?.kind, 'enumMember');
      assert.equal(find(symbols, 'fps')?.kind, 'number');
      assert.equal(find(symbols, 'latency')?.kind, 'number');
      const walk = (list: readonly OutlineSymbol[]): void => {
        for (const s of list) {
          assert.ok(s.range[0] <= s.selection[0] && s.selection[1] <= s.range[1], `${s.name}: selection inside range`);
          walk(s.children);
        }
      };
      walk(symbols);
    });
    it('keeps the items of a long list but leaves their scalar fields to the item detail (symbol count stays near the item count)', () => {
      const big = outline(parseYaml(generateUseCase(5000)).document, useCaseSchema);
      const triggers = find(big, 'triggers');
      const items = triggers?.children ?? [];
      assert.ok(items.length > 1500, `${items.length} triggers`);
      assert.ok(items.every((item) => item.children.length === 0));
      assert.match(items[0]?.detail ?? '', /^capture: \d+s, maxPerDay: \d+$/);
      const count = (list: readonly OutlineSymbol[]): number => list.reduce((n, s) => n + 1 + count(s.children), 0);
      assert.ok(count(big) < items.length + 100, `${count(big)} symbols for ${items.length} items`);
      // A short list keeps every field as a child symbol.
      assert.deepEqual(find(symbols, 'targets')?.children[0]?.children.map((c) => c.name), ['soc', 'engine', 'budgets']);
    });
  });

  describe('snippets', () => {
    it('a model: block has its required path', () => {
      assert.equal(keySnippet(useCaseSchema, [], 'model'), 'model:\n  path: $1');
    });
    it('a targets: list gets one item with catalog choices, and the optional keys asked for', () => {
      const s = keySnippet(useCaseSchema, [], 'targets', {
        choices: (path) => (path[path.length - 1] === 'soc' ? ['a-1', 'b,2'] : undefined),
        include: (path) => (path.length === 2 ? ['budgets'] : path[path.length - 1] === 'budgets' ? ['latency'] : undefined),
      });
      assert.equal(s, 'targets:\n  - soc: ${1|a-1,b\\,2|}\n    budgets:\n      latency: ${2:1ms}');
    });
    it('enums offer their values with the default first; nested required blocks recurse', () => {
      assert.equal(keySnippet(useCaseSchema, ['quantization'], 'precision'), 'precision: ${1|int8,fp32,fp16,int4-weight|}');
      assert.equal(keySnippet(useCaseSchema, [], 'release'), 'release:\n  repository: $1\n  version: $2');
      assert.equal(keySnippet(useCaseSchema, ['deployment'], 'uplink'), 'uplink:\n  bandwidth: ${1:1Mbit/s}\n  rtt: ${2:1ms}');
      assert.equal(itemSnippet(useCaseSchema, ['model', 'inputs', 0]), 'name: $1');
    });
    it('every key snippet of the use-case schema, filled with its first choices, parses as YAML without errors', () => {
      const resolve = (snippet: string) => snippet.replace(/\$\{\d+\|([^,|]*)[^}]*\}/g, '$1').replace(/\$\{\d+:([^}]*)\}/g, '$1').replace(/\$\d+/g, 'x');
      for (const key of ['model', 'targets', 'safety', 'quantization', 'calibration', 'deployment', 'release', 'dataLoop']) {
        const text = resolve(keySnippet(useCaseSchema, [], key));
        const parsed = parseYaml(text);
        assert.equal(parsed.syntaxDiagnostics.length, 0, `${key}: ${text}`);
      }
    });
  });

  describe('key docs', () => {
    it('take the description from the schema, with the type, default and allowed values', () => {
      const md = keyDocMarkdown(useCaseSchema, ['quantization', 'precision']) ?? '';
      assert.match(md, /quantization\.precision/);
      assert.match(md, /one of fp32, fp16, int8, int4-weight/);
      assert.match(md, /Target numeric precision/);
      assert.match(md, /Default: `int8`/);
      const latency = keyDocMarkdown(useCaseSchema, ['targets', 0, 'budgets', 'latency']) ?? '';
      assert.match(latency, /a time \(us, ms, s\)/);
      assert.match(latency, /Maximum inference latency/);
      assert.match(keyDocMarkdown(socSchema, ['engines', 0, 'kind']) ?? '', /Engine kind/);
    });
    it('is undefined for keys the schema does not have', () => {
      assert.equal(keyDocMarkdown(useCaseSchema, ['modle']), undefined);
    });
  });

  describe('target figures', () => {
    it('detail lines carry the vendor, the headline peak, DRAM bandwidth and sustained power', () => {
      const entry = catalog.entries().find((e) => e.target.id === 'qualcomm-sa8295p');
      assert.ok(entry);
      assert.equal(targetDetail(entry), 'Qualcomm · 30 TOPS int8 (npu) · 68 GB/s DRAM · 20 W sustained');
      const md = targetMarkdown(entry);
      assert.match(md, /\| npu Hexagon NPU \| int8 \| 30 TOPS \| datasheet: https:/);
      assert.match(md, /estimate: a quarter of the int8 rate/);
      assert.equal(engineFigures(entry.target.engines[0] ?? assert.fail('no engine')), 'fp16 7.5 TFLOPS · int8 30 TOPS');
    });
    it('every built-in target has a detail line and a markdown table', () => {
      for (const entry of catalog.entries()) {
        assert.ok(targetDetail(entry).startsWith(entry.target.vendor));
        assert.ok(targetMarkdown(entry).includes(entry.target.id));
      }
    });
    it('says a note that many figures share once, under the tables, not on every row', () => {
      for (const entry of catalog.entries()) {
        const count = (targetMarkdown(entry).match(/check the current datasheet/g) ?? []).length;
        assert.ok(count <= 1, `${entry.target.id}: the datasheet note ${count} times`);
      }
      // cloud-gpu cites the vendor's A100 datasheet for seven figures: each row keeps what the document says.
      const cloud = targetMarkdown(catalog.entries().find((e) => e.target.id === 'cloud-gpu') ?? assert.fail('no cloud-gpu'));
      assert.match(cloud, /\| gpu A100 .* \| fp32 \| 19\.5 TFLOPS \| datasheet: https:\S+; A100 datasheet: FP32 19\\\.5 TFLOPS \|/);
      assert.match(cloud, /\n_Note on these figures: figure as publicly stated by the vendor; check the current datasheet before relying on it\._$/);
    });
  });

  describe('references', () => {
    it('writes paths relative to the use-case file with forward slashes, inside the workspace only', () => {
      assert.equal(referenceFrom('/ws/cockpit/a.usecase.yaml', '/ws/cockpit/models/m.onnx'), 'models/m.onnx');
      assert.equal(referenceFrom('/ws/cockpit/a.usecase.yaml', '/ws/shared/m.onnx'), '../shared/m.onnx');
      assert.deepEqual(referencesFrom('/ws/c/a.usecase.yaml', '/ws', ['/ws/x/m.onnx', '/ws/c/models/m.onnx', '/elsewhere/m.onnx']), ['models/m.onnx', '../x/m.onnx']);
      assert.deepEqual(splitTyped('models/dm'), { folder: 'models/', rest: 'dm' });
      assert.deepEqual(splitTyped('dm'), { folder: '', rest: 'dm' });
    });
  });

  describe('new use case', () => {
    it('checks names: pattern, length and uniqueness', () => {
      assert.equal(nameProblem('lane-keeping', new Set()), undefined);
      assert.match(nameProblem('Lane', new Set()) ?? '', /lower-case/);
      assert.match(nameProblem('a--b', new Set()) ?? '', /single hyphens/);
      assert.match(nameProblem('dms', new Set(['dms'])) ?? '', /already named 'dms'/);
      assert.match(nameProblem('', new Set()) ?? '', /Enter a name/);
    });
    it('picks a precision every chosen target runs', () => {
      assert.equal(commonPrecision(catalog, ['qualcomm-sa8295p', 'ti-tda4vm']), 'int8');
      const fp32Only = catalog.entries().find((e) => e.target.engines.every((en) => !en.precisions.int8 && !en.precisions.fp16));
      if (fp32Only) assert.equal(commonPrecision(catalog, [fp32Only.target.id]), 'fp32');
    });
    it('writes a file that validates with no diagnostics at all against its real model, for every built-in target', async () => {
      const root = mkdtempSync(join(tmpdir(), 'aios-new-'));
      mkdirSync(join(root, 'models'));
      const modelPath = join(root, 'models', 'lane.onnx');
      await writeModelFile(cnnClassifier({ name: 'lane', inputName: 'image', inputShape: [1, 3, 32, 32], stages: [4], classes: 5, outputName: 'lanes' }), modelPath);
      const models = new ModelMetadataCache((path, signal) => readModelFile(path, signal ? { signal } : {}));
      const metadata = await models.get(nodeFileSystem, modelPath);
      for (const id of catalog.ids()) {
        const text = newUseCaseText({ name: 'lane-keeping', domain: 'adas', modelPath: 'models/lane.onnx', model: metadata, targets: [id] }, catalog);
        const filePath = join(root, 'lane-keeping.usecase.yaml');
        writeFileSync(filePath, text);
        const check = await validateUseCase(text, { fs: nodeFileSystem, workspaceRoot: root, filePath, catalog, models });
        assert.deepEqual(check.diagnostics.map((d) => `${d.code} ${d.message}`), [], `${id}:\n${text}`);
      }
      const text = newUseCaseText({ name: 'lane-keeping', domain: 'adas', modelPath: 'models/lane.onnx', model: metadata, targets: ['qualcomm-sa8295p'] }, catalog);
      assert.match(text, /inputs:\n {4}- name: image\n {6}shape: \[1, 3, 32, 32\]\n {6}dtype: float32/);
    });
    it('without a model, the only problem left is the missing model file, and a comment says where to put it', () => {
      const text = newUseCaseText({ name: 'x1', domain: 'body', targets: [] }, catalog);
      assert.match(text, /^# model\.path: put the ONNX model at models\/x1\.onnx/);
      assert.deepEqual(checkUseCase(text, { catalog, filePath: '/ws/x1.usecase.yaml' }).diagnostics, []);
    });
  });
});

describe('use-case editor anchors', () => {
  it('targetAnchors gives each target item with its soc at the item start', () => {
    const anchors = targetAnchors(parseYaml(sample).document);
    assert.deepEqual(anchors.map((a) => a.soc), ['qualcomm-sa8295p', 'ti-tda4vm']);
    assert.ok(sample.slice(anchors[1]?.offset).startsWith('soc: ti-tda4vm'));
    assert.deepEqual(targetAnchors(parseYaml('targets: 3').document), []);
  });
  it('targetAnchorsInText agrees with the parsed anchors on block lists, and works while the file does not parse', () => {
    assert.deepEqual(targetAnchorsInText(sample), targetAnchors(parseYaml(sample).document));
    const compact = 'targets:\n- soc: a-1\n  budgets: {latency: 8ms}\n-\n  engine: npu\n  soc: "b-2"\nrelease:\n  - soc: not-a-target\n';
    assert.deepEqual(targetAnchorsInText(compact).map((a) => a.soc), ['a-1', 'b-2']);
    assert.deepEqual(targetAnchorsInText(compact).map((a) => a.soc), targetAnchors(parseYaml(compact).document).map((a) => a.soc));
    const broken = `${sample}  - soc: [unclosed\n`;
    assert.deepEqual(targetAnchorsInText(broken).map((a) => a.soc), ['qualcomm-sa8295p', 'ti-tda4vm', '[unclosed']);
  });
  it('writtenModelPath reads model.path from the value, or from the text while the file does not parse', () => {
    assert.equal(writtenModelPath({ model: { path: 'a.onnx' } }, ''), 'a.onnx');
    assert.equal(writtenModelPath(undefined, 'name: x\nmodel:\n  # the model\n  inputs: [\n  path: models/b.onnx  # here\n'), 'models/b.onnx');
    assert.equal(writtenModelPath(undefined, 'name: x\n'), undefined);
  });
});
