import * as assert from 'node:assert/strict';

/**
 * python3 with numpy (Debian's python3-onnx reads the model): unpacks MatMulNBits' B, scales and
 * zero points as ContribOperators.md describes, and quantizes the float weight itself
 * (block-wise, ORT's rule), then prints the dequantized weight [K, N] and how many codes differ.
 */
export const pythonInt4Reference = String.raw`
import sys, json, numpy as np, onnx
from onnx import numpy_helper
q = onnx.load(sys.argv[1]); f = onnx.load(sys.argv[2]); sym = sys.argv[3] == 'sym'
init = {t.name: numpy_helper.to_array(t) for t in q.graph.initializer}
w = {t.name: numpy_helper.to_array(t) for t in f.graph.initializer}['w']
node = [n for n in q.graph.node if n.op_type == 'MatMulNBits'][0]
a = {x.name: onnx.helper.get_attribute_value(x) for x in node.attribute}
K, N, bs = a['K'], a['N'], a['block_size']
B = init[node.input[1]]; S = init[node.input[2]].reshape(N, -1)
blocks = (K + bs - 1) // bs
codes = np.zeros((N, blocks * bs), np.int32)
codes[:, 0::2] = (B.reshape(N, -1) & 15); codes[:, 1::2] = (B.reshape(N, -1) >> 4)
if len(node.input) > 3:
    Z = init[node.input[3]].reshape(N, -1).astype(np.int32)
    zp = np.stack([Z & 15, Z >> 4], -1).reshape(N, -1)[:, :blocks]
else:
    zp = np.full((N, blocks), 8)
deq = ((codes.reshape(N, blocks, bs) - zp[:, :, None]) * S[:, :, None]).reshape(N, -1)[:, :K]
# Independent quantization of the float weight, per column and block along K.
wt = np.zeros((N, blocks * bs), np.float32); wt[:, :K] = w.T
wb = wt.reshape(N, blocks, bs)
if sym:
    idx = np.abs(wb).argmax(-1); peak = np.take_along_axis(wb, idx[..., None], -1)[..., 0]
    scale = (peak / -8).astype(np.float32); z = np.full_like(scale, 8)
else:
    lo = np.minimum(wb.min(-1), 0); hi = np.maximum(wb.max(-1), 0)
    scale = ((hi - lo) / 15).astype(np.float32); z = np.clip(np.round(-lo / scale), 0, 15)
# Codes from the stored scales and zero points (whatever range the quantizer chose).
zs = zp if len(node.input) > 3 else np.full((N, blocks), 8)
expected = np.clip(np.round(wb / S[..., None]) + zs[..., None], 0, 15).reshape(N, -1)
expected[:, K:] = np.repeat(zs, bs, axis=1)[:, K:]
print(json.dumps({'deq': deq.T.reshape(-1).tolist(), 'codeMismatches': int((expected != codes).sum()), 'scaleError': float(np.abs(scale - S).max()), 'mse': float(((deq.T - w) ** 2).mean())}))
`;


/** Asserts that ORT's MatMulNBits output `got` [rows, n] equals x [rows, k] times the dequantized weight `deq` [k, n] (numpy's reading). */
export function assertMatchesDequantized(x: Float32Array, deq: readonly number[], got: Float32Array, rows: number, k: number, n: number): void {
  let maxErr = 0;
  let maxRef = 0;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < n; c++) {
      let sum = 0;
      for (let i = 0; i < k; i++) sum += x[r * k + i]! * deq[i * n + c]!;
      maxErr = Math.max(maxErr, Math.abs(sum - got[r * n + c]!));
      maxRef = Math.max(maxRef, Math.abs(sum));
    }
  }
  assert.ok(maxErr <= 1e-4 * maxRef, `ORT differs from x * dequant(B) by ${maxErr} (max ${maxRef})`);
}
