import { DataType } from '../../../src/core/onnx/model';
import { ModelBuilder } from '../../../src/core/onnx/builder';
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
