import { DataType } from '../../../src/core/onnx/model';
import { attr, ModelBuilder } from '../../../src/core/onnx/builder';
import type { Model } from '../../../src/core/onnx/model';

/** Escape sequences that set the terminal title and clear the screen, and a newline that forges a row. */
export const hostileText = '\x1b]0;PWNED\x07\x1b[2J\u009b31m\nforged row';

/** Names that are keys of Object.prototype. */
export const prototypeNames = ['constructor', '__proto__', 'toString', 'valueOf', 'hasOwnProperty'] as const;

/** x -> Relu -> Op -> y, where node names, op type, input name and producer are `name`. */
export function modelNamed(name: string, options: { opType?: string; inputName?: string } = {}): Model {
  const b = new ModelBuilder({ name: 'g', seed: 1, producerName: name });
  const x = b.input(options.inputName ?? 'x', DataType.FLOAT, [1, 4]);
  const [h] = b.node('Relu', [x], { name });
  const [y] = b.node(options.opType ?? name, [h!], { name: `${name}2` });
  b.output(y!, DataType.FLOAT, [1, 4], 'y');
  return b.buildModel();
}

/** `depth` If nodes, each in the then branch of the one above (else branches are leaves). */
export function nestedIfs(depth: number): Model {
  const b = new ModelBuilder({ name: 'nested', seed: 1 });
  const x = b.input('x', DataType.FLOAT, [1]);
  const cond = b.input('cond', DataType.BOOL, []);
  const leaf = () => b.subgraph('leaf', (g) => g.output(g.op('Abs', [x]), DataType.FLOAT, [1]));
  let body = leaf();
  for (let level = 1; level < depth; level++) {
    const inner = body;
    body = b.subgraph(`level${level}`, (g) => g.output(g.op('If', [cond], { then_branch: attr.graph(inner), else_branch: attr.graph(leaf()) }), DataType.FLOAT, [1]));
  }
  b.output(b.op('If', [cond], { then_branch: attr.graph(body), else_branch: attr.graph(leaf()) }), DataType.FLOAT, [1], 'y');
  return b.buildModel();
}
