import { existsSync } from 'node:fs';

/** Debian's libonnx-testdata: official ONNX conformance models, installed by the runner. */
export const onnxTestData = '/usr/share/libonnx-testdata/data';

/** A real 97-byte model: one Abs node, input `x` float[3,4,5], output `y`. */
export const absModelPath = `${onnxTestData}/node/test_abs/model.onnx`;

export function requireTestData(path: string): string {
  if (!existsSync(path)) throw new Error(`${path} is missing: install the Debian package libonnx-testdata (the runner does this as root)`);
  return path;
}
