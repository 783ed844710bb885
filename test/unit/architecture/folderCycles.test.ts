import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

const core = resolve('src/core');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(path);
    return e.name.endsWith('.ts') ? [path] : [];
  });
}

/** The first folder under src/core a file belongs to; a file directly in src/core is its own unit. */
function unitOf(file: string): string {
  const [first = '', ...rest] = relative(core, file).split(sep);
  return rest.length > 0 ? first : first.replace(/\.ts$/, '');
}

/** unit -> units it imports, with one importing file per edge for the message. */
function folderGraph(): Map<string, Map<string, string>> {
  const graph = new Map<string, Map<string, string>>();
  for (const file of sourceFiles(core)) {
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(/(?:from|import)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g)) {
      const target = resolve(dirname(file), match[1] ?? '');
      if (!target.startsWith(core + sep)) continue;
      const [from, to] = [unitOf(file), unitOf(`${target}.ts`)];
      if (from === to) continue;
      const edges = graph.get(from) ?? new Map<string, string>();
      if (!edges.has(to)) edges.set(to, relative('.', file));
      graph.set(from, edges);
    }
  }
  return graph;
}

/** Every cycle found by depth-first search, each as the path of units that closes it. */
function cycles(graph: Map<string, Map<string, string>>): string[][] {
  const found: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const visit = (unit: string, path: string[]) => {
    state.set(unit, 'open');
    for (const next of graph.get(unit)?.keys() ?? []) {
      if (state.get(next) === 'open') found.push([...path.slice(path.indexOf(next)), unit, next].filter((u, i, a) => i === 0 || u !== a[i - 1]));
      else if (!state.has(next)) visit(next, [...path, unit]);
    }
    state.set(unit, 'done');
  };
  for (const unit of [...graph.keys()].sort()) if (!state.has(unit)) visit(unit, []);
  return found;
}

describe('src/core architecture', () => {
  it('has no import cycles between its folders (a shared word goes into a leaf module)', () => {
    const graph = folderGraph();
    const found = cycles(graph).map((cycle) =>
      cycle
        .slice(1)
        .map((unit, i) => `${cycle[i]} -> ${unit} (${graph.get(cycle[i] ?? '')?.get(unit) ?? '?'})`)
        .join(', '),
    );
    assert.deepEqual(found, []);
  });

  it('the check sees folder edges at all (it would not pass on an empty graph)', () => {
    const graph = folderGraph();
    assert.ok(graph.get('pipeline')?.has('usecase'), 'pipeline imports usecase');
    assert.ok(graph.get('usecase')?.has('soc'), 'usecase imports soc');
    assert.deepEqual(cycles(new Map([['a', new Map([['b', 'x']])], ['b', new Map([['a', 'y']])]])), [['a', 'b', 'a']]);
  });
});
