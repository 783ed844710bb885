import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { isMap, isPair, isScalar, isSeq, parseAllDocuments } from 'yaml';
import { parsePlainBlockYaml } from '../../../src/core/diagnostics/plainBlockYaml';
import { parseYaml } from '../../../src/core/diagnostics/yamlDocument';
import { generateUseCase } from '../../fixtures/usecase/generate';

const repo = join(__dirname, '..', '..', '..', '..');

/** Everything the validators and editor features read from a node, as comparable data. */
function shape(node: unknown): unknown {
  if (isMap(node) || isSeq(node)) {
    return {
      kind: isMap(node) ? 'map' : 'seq',
      flow: Boolean(node.flow),
      range: node.range,
      items: node.items.map((item) => (isPair(item) ? { key: shape(item.key), value: shape(item.value) } : shape(item))),
    };
  }
  if (isScalar(node)) {
    const value = typeof node.value === 'number' && !Number.isFinite(node.value) ? String(node.value) : node.value;
    return { kind: 'scalar', value, type: node.type, range: node.range, source: node.source, format: node.format, minFractionDigits: node.minFractionDigits };
  }
  return { other: String(node) };
}

const numbersAsText = (_key: string, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v);

/**
 * The reader either gives up or agrees with the `yaml` library exactly: the library finds no
 * error or warning, and nodes, source ranges and the plain value are the same.
 */
function agreesWithYaml(text: string): boolean {
  const fast = parsePlainBlockYaml(text);
  if (!fast) return false;
  const docs = parseAllDocuments(text, { prettyErrors: false, uniqueKeys: true, strict: true });
  assert.ok(Array.isArray(docs) && docs.length === 1, `accepted a text the library reads as ${Array.isArray(docs) ? docs.length : 0} documents:\n${text}`);
  const doc = docs[0];
  assert.ok(doc);
  assert.deepEqual([...doc.errors, ...doc.warnings].map((e) => e.message), [], `accepted a text the library rejects:\n${text}`);
  assert.deepEqual(shape(fast.document.contents), shape(doc.contents), `nodes differ for:\n${text}`);
  assert.equal(JSON.stringify(fast.value, numbersAsText), JSON.stringify(doc.toJS(), numbersAsText), `values differ for:\n${text}`);
  return true;
}

function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true })
    .map(String)
    .filter((f) => /\.(usecase|soc)\.ya?ml$/.test(f))
    .map((f) => join(dir, f));
}

const scalars = [
  '1', '-2', '0o17', '0x1F', '-0x1', '1.50', '1e3', '.5', '1.', '.inf', '-.Inf', '.nan', 'true', 'False', 'null', '~', 'NULL', 'yes', 'on',
  'abc', 'a b', 'x:y', 'a#b', 'a #c', '8ms', '64MiB', 'http://x/y', '"q"', '"a b # c"', "'it''s'", "''", '""', '-x', '08', '+1', '1_000',
  '[1, 2]', '[ a , "b" ,]', '{a: 1, b: [x, y]}', '{}', '[]', '[ ]', '[{k: v} , 1 ]', '{a: 1 , b: "x" }', '{a: [1,{b: c}]}', 'a]', 'b,c',
];
/** Outside the reader's subset or invalid: it must give up on these. */
const oddScalars = [
  '- x', ': x', '[a: b]', '{a}', '{a: }', '"esc\\"q"', 'x: y', 'v:', '&a x', '*a', '!!str x', '|', '>', '? x', '%x', '@x', '`x', '[1,', '"open',
];
const keys = ['a', 'b', 'name', 'soc', 'x1', 'a.b', 'a-b', 'k_2', 'dup'];
const oddKeys = ['dup', '1', 'true', '"q"', 'a b', '__proto__'];
const sometimesOdd = (usual: string[], odd: string[]) => fc.oneof({ arbitrary: fc.constantFrom(...usual), weight: 30 }, { arbitrary: fc.constantFrom(...odd), weight: 1 });

/**
 * Block YAML built line by line: nested maps and lists, comments and blank lines. Lines mostly
 * follow the nesting the previous line opened (so many documents are valid) and sometimes not.
 */
const blockDocument = fc
  .array(
    fc.record({
      up: fc.nat({ max: 3 }),
      kind: fc.constantFrom('pair', 'pair', 'pair', 'pair', 'open', 'open', 'item', 'itemPair', 'comment', 'blank'),
      key: sometimesOdd(keys, oddKeys),
      value: sometimesOdd(scalars, oddScalars),
      trailing: fc.constantFrom('', '', '', '', '', ' # note', '   '),
      jitter: fc.constantFrom(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, -1, 2),
    }),
    { minLength: 1, maxLength: 10 },
  )
  .map((lines) => {
    const out: string[] = [];
    let depth = 0;
    let opened = false;
    for (const l of lines) {
      depth = opened ? depth + 1 : Math.max(0, depth - l.up);
      const pad = ' '.repeat(Math.max(0, depth * 2 + (out.length === 0 ? 0 : l.jitter)));
      opened = false;
      switch (l.kind) {
        case 'pair':
          out.push(`${pad}${l.key}: ${l.value}${l.trailing}`);
          break;
        case 'open':
          out.push(`${pad}${l.key}:${l.trailing}`);
          opened = true;
          break;
        case 'item':
          out.push(`${pad}- ${l.value}${l.trailing}`);
          break;
        case 'itemPair':
          out.push(`${pad}- ${l.key}: ${l.value}${l.trailing}`);
          break;
        case 'comment':
          out.push(`${pad}# a comment`);
          break;
        default:
          out.push('');
      }
    }
    return out.join('\n');
  });

describe('plain block YAML reader (fast path of the syntax layer)', function () {
  // Thousands of generated documents, each also parsed by the yaml library: slow on a loaded machine.
  this.timeout(120_000);

  it('reads every sample, SoC file and broken fixture it accepts exactly like the yaml library', () => {
    const files = [...yamlFiles(join(repo, 'samples')), ...yamlFiles(join(repo, 'test', 'fixtures'))];
    assert.ok(files.length > 30);
    let accepted = 0;
    for (const file of files) if (agreesWithYaml(readFileSync(file, 'utf8'))) accepted++;
    // The samples are what users write: the fast path must take them all.
    for (const file of yamlFiles(join(repo, 'samples'))) assert.ok(parsePlainBlockYaml(readFileSync(file, 'utf8')), `fell back on ${file}`);
    assert.ok(accepted >= 6);
  });

  it('reads the generated 100- and 5,000-line use cases exactly like the yaml library', () => {
    for (const lines of [100, 5000]) assert.ok(agreesWithYaml(generateUseCase(lines)), `fell back on the ${lines}-line file`);
  });

  it('agrees with the yaml library or gives up, on random block documents (fast-check, fixed seed)', () => {
    let accepted = 0;
    fc.assert(
      fc.property(blockDocument, fc.constantFrom('', '\n', '\n\n', '\n# end', '\n# end\n\n# more\n', '\n  # end\n'), (body, end) => {
        if (agreesWithYaml(body + end)) accepted++;
      }),
      { seed: 20261201, numRuns: 3000 },
    );
    // Guards the guard: a reader that always gave up would pass the property vacuously.
    assert.ok(accepted > 300, `only ${accepted} of 3000 documents took the fast path`);
  });

  it('agrees with the yaml library or gives up, on mutated samples (fast-check, fixed seed)', () => {
    const texts = [...yamlFiles(join(repo, 'samples')).map((f) => readFileSync(f, 'utf8')), generateUseCase(120)];
    const unit = fc.constantFrom(' ', '  ', '\n', '-', '- ', ':', ': ', '#', ' #', '"', "'", '[', ']', '{', '}', ',', 'a', '1', '.', '\n  ', '\n- ', '~', '?', '&', '*', '!', '|', '>', '%', '@', '\\', '---\n', '0x', 'e5');
    const mutation = fc.record({ at: fc.nat(), remove: fc.nat({ max: 4 }), insert: fc.array(unit, { maxLength: 3 }).map((a) => a.join('')) });
    let accepted = 0;
    fc.assert(
      fc.property(fc.nat(), fc.array(mutation, { minLength: 1, maxLength: 3 }), (which, mutations) => {
        let text = texts[which % texts.length] ?? '';
        for (const m of mutations) {
          const at = m.at % (text.length + 1);
          text = text.slice(0, at) + m.insert + text.slice(at + m.remove);
        }
        if (agreesWithYaml(text)) accepted++;
      }),
      { seed: 20261201, numRuns: 3000 },
    );
    assert.ok(accepted > 300, `only ${accepted} of 3000 mutated files took the fast path`);
  });

  it('gives up on what it leaves to the yaml library', () => {
    const cases: Record<string, string> = {
      anchor: 'a: &x 1\nb: *x\n',
      tag: 'a: !!str 1\n',
      'block scalar': 'a: |\n  text\n',
      'multi-line plain scalar': 'a: one\n  two\n',
      'multi-line flow': 'a: [1,\n  2]\n',
      escape: 'a: "x\\ty"\n',
      'explicit key': '? a\n: 1\n',
      directive: '%YAML 1.2\n---\na: 1\n',
      'document marker': '---\na: 1\n',
      'second document': 'a: 1\n---\nb: 2\n',
      'duplicate key': 'a: 1\na: 2\n',
      'duplicate flow key': 'a: {b: 1, b: 2}\n',
      tab: 'a:\n\tb: 1\n',
      crlf: 'a: 1\r\nb: 2\r\n',
      bom: '\uFEFFa: 1\n',
      'comment indented unlike the next line': 'a:\n  b: 1\n    # deeper\nc: 1\n',
      'indented comment at the end': 'a:\n  b: 1\n  # bye\n',
      'empty value with a comment': 'a: # none\nb: 1\n',
      'top-level list': '- a\n- b\n',
      'indented first line': '  a: 1\n',
      'bad indentation': 'a:\n    b: 1\n  c: 2\n',
      'nested mapping in a compact value': 'a: b: c\n',
      'quoted key': '"a": 1\n',
      'non-string key': '1: a\n',
    };
    for (const [name, text] of Object.entries(cases)) assert.equal(parsePlainBlockYaml(text), undefined, name);
  });

  it('makes the syntax layer give the same diagnostics and values whichever reader ran', () => {
    // A mapping with a wrong type deep inside: the schema layer's ranges come from node ranges.
    const text = 'apiVersion: aios/v1\nkind: UseCase\nname: x\nmodel:\n  path: m.onnx\n  inputs: [{name: a, shape: [1, x]}]\ntargets:\n  - soc: ti-tda4vm\n    budgets: {latency: 8}\n';
    const fast = parseYaml(text);
    // A tab anywhere (here in a comment, harmless) sends the text to the yaml library.
    const slow = parseYaml(`${text}# a\tcomment\n`);
    assert.ok(parsePlainBlockYaml(text));
    assert.equal(parsePlainBlockYaml(`${text}# a\tcomment\n`), undefined);
    assert.deepEqual(fast.syntaxDiagnostics, slow.syntaxDiagnostics);
    assert.deepEqual(fast.value, slow.value);
    assert.deepEqual(shape(fast.document?.contents), shape(slow.document?.contents));
  });
});
