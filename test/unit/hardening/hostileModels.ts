import { DataType } from '../../../src/core/onnx/model';
import { attr, ModelBuilder } from '../../../src/core/onnx/builder';
import type { Model, Tensor } from '../../../src/core/onnx/model';

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

/**
 * x -> MatMul(x, w) -> y where w is a float32 [1, bytes/4] weight in external data `location`
 * (offset 0, length `bytes`); the caller makes that file, e.g. sparse with truncate.
 */
export function externalWeightModel(bytes: number, location: string): Model {
  const b = new ModelBuilder({ name: 'huge', seed: 1 });
  const x = b.input('x', DataType.FLOAT, [1, 1]);
  const w = b.initializer('w', [1, 1], { dataType: DataType.FLOAT, bytes: new Uint8Array(4) });
  b.output(b.op('MatMul', [x, w]), DataType.FLOAT, [1, bytes / 4], 'y');
  const model = b.buildModel();
  const external: Tensor = {
    name: 'w',
    dataType: DataType.FLOAT,
    dims: [1, bytes / 4],
    externalData: [{ key: 'location', value: location }, { key: 'offset', value: '0' }, { key: 'length', value: String(bytes) }],
    data: { location: 'external', byteLength: bytes, externalPath: location, read: () => Promise.reject(new Error('only written, never read')) },
  };
  return { ...model, graph: { ...model.graph, initializers: [external] } };
}
