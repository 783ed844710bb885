import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ModelBuilder } from '../../../src/core/onnx/builder';
import { DataType, type Model, type Tensor } from '../../../src/core/onnx/model';
import { readModelFile, readTensorBytes } from '../../../src/core/onnx/read';
import { elementDecoder } from '../../../src/core/onnx/tensorElements';
import { writeModelFile } from '../../../src/core/onnx/write';
import { quantDiff } from '../../../src/core/quantdiff/quantDiff';
import { encodeNpy } from '../../../src/core/runtime/npy';
import { noConformanceData, skipBecause } from '../skipBecause';

const data = '/usr/share/libonnx-testdata/data/node';

async function values(t: Tensor): Promise<number[]> {
  const decode = elementDecoder(t.dataType, await t.data.read());
  return Array.from({ length: t.dims.reduce((a, b) => a * b, 1) }, (_, i) => decode?.(i) ?? NaN);
}

function tensorOf(test: string, file: string): Tensor {
  return readTensorBytes(readFileSync(join(data, test, 'test_data_set_0', file)), { sourceName: file });
}

describe('quantdiff on the ONNX conformance QLinear/QDQ models', function () {
  this.timeout(60_000);
  let dir: string;
  before(function () {
    if (!existsSync(join(data, 'test_qlinearmatmul_2D'))) skipBecause(this, noConformanceData);
    dir = mkdtempSync(join(tmpdir(), 'quantdiff-conf-'));
  });
  after(() => dir && rmSync(dir, { recursive: true, force: true }));

  it('test_qlinearmatmul_2D: the QLinearMatMul output is matched by name and dequantized with y_scale/y_zero_point; SQNR equals the one from the expected output', async () => {
    const conformance = await readModelFile(join(data, 'test_qlinearmatmul_2D', 'model.onnx'));
    const node = conformance.graph.nodes[0]!;
    assert.equal(node.opType, 'QLinearMatMul');
    const inputs = conformance.graph.inputs.map((v, i) => ({ ...tensorOf('test_qlinearmatmul_2D', `input_${i}.pb`), name: v.name }));
    const byName = new Map(inputs.map((t) => [t.name, t]));
    const scalar = async (name: string) => (await values(byName.get(name)!))[0]!;
    const [aScale, aZero, bScale, bZero, yScale, yZero] = await Promise.all(['a_scale', 'a_zero_point', 'b_scale', 'b_zero_point', 'y_scale', 'y_zero_point'].map(scalar));
    const a = await values(byName.get('a')!);
    const b = await values(byName.get('b')!);
    const x = Float32Array.from(a, (q) => (q - aZero!) * aScale!);
    const w = Float32Array.from(b, (q) => (q - bZero!) * bScale!);

    // fp32: y = x @ W, node "mm". Quantized: QuantizeLinear(x) -> the conformance QLinearMatMul (node "mm_quant") -> uint8 y.
    const f = new ModelBuilder({ name: 'fp32', seed: 1, opset: 13 });
    f.output(f.node('MatMul', [f.input('x', DataType.FLOAT, [2, 4]), f.initializer('W', [4, 3], w)], { name: 'mm', outputs: ['y'] })[0]!, DataType.FLOAT, [2, 3]);
    const fp32: Model = f.buildModel();
    const q = new ModelBuilder({ name: 'quant', seed: 1, opset: 13 });
    const xq = q.input('x', DataType.FLOAT, [2, 4]);
    const constants = inputs.filter((t) => t.name !== 'a');
    const quant0 = q.buildModel();
    const quant: Model = {
      ...quant0,
      graph: {
        ...quant0.graph,
        initializers: constants.map((t) => ({ ...t })),
        nodes: [
          { name: 'quantize_x', opType: 'QuantizeLinear', domain: '', inputs: [xq, 'a_scale', 'a_zero_point'], outputs: ['a'], attributes: [] },
          { ...node, name: 'mm_quant', outputs: ['y'] },
        ],
        outputs: [{ name: 'y', type: { kind: 'tensor', elemType: DataType.UINT8, shape: [2, 3] } }],
      },
    };
    await writeModelFile(fp32, join(dir, 'mm.onnx'));
    await writeModelFile(quant, join(dir, 'mm.qlinear.onnx'));
    mkdirSync(join(dir, 'data'));
    writeFileSync(join(dir, 'data', 'x.npy'), encodeNpy({ dtype: 'float32', shape: [2, 4], data: x }));

    const report = await quantDiff(join(dir, 'mm.onnx'), join(dir, 'mm.qlinear.onnx'), { data: join(dir, 'data'), latencyRuns: 0 });
    const [t] = report.tensors;
    assert.deepEqual(report.tensors.map((r) => [r.name, r.node, r.op, r.quantTensor, r.quantOp, r.rule]), [['y', 'mm', 'MatMul', 'y', 'QLinearMatMul', 'name']]);

    // Independently: the expected uint8 output of the conformance test, dequantized, against x @ W in float64.
    const expected = (await values(tensorOf('test_qlinearmatmul_2D', 'output_0.pb'))).map((v) => (v - yZero!) * yScale!);
    let signal = 0;
    let noise = 0;
    for (let r = 0; r < 2; r++) {
      for (let c = 0; c < 3; c++) {
        let ref = 0;
        for (let k = 0; k < 4; k++) ref += Math.fround(x[r * 4 + k]!) * Math.fround(w[k * 3 + c]!);
        signal += ref * ref;
        noise += (ref - expected[r * 3 + c]!) ** 2;
      }
    }
    const want = 10 * Math.log10(signal / noise);
    assert.ok(t && t.sqnrDb !== null && Math.abs(t.sqnrDb - want) < 0.05, `quantdiff ${t?.sqnrDb} dB, from the conformance output ${want} dB`);
    assert.ok(report.outputs[0]?.sqnrDb !== null && Math.abs(report.outputs[0]!.sqnrDb - want) < 0.05, 'the uint8 graph output is compared dequantized too');
  });

  it('runs every conformance Q/DQ/QLinear node model on its test inputs and finds no error against itself', async () => {
    for (const test of ['test_quantizelinear', 'test_dequantizelinear', 'test_qlinearconv', 'test_qlinearmatmul_3D', 'test_dequantizelinear_axis']) {
      const path = join(data, test, 'model.onnx');
      if (!existsSync(path)) continue;
      const model = await readModelFile(path);
      const mdir = join(dir, test);
      mkdirSync(join(mdir, 'sample'), { recursive: true });
      for (const [i, v] of model.graph.inputs.entries()) {
        const t = tensorOf(test, `input_${i}.pb`);
        const bytes = await t.data.read();
        const dtype = t.dataType === DataType.FLOAT ? 'float32' : t.dataType === DataType.UINT8 ? 'uint8' : t.dataType === DataType.INT8 ? 'int8' : 'int32';
        assert.ok([DataType.FLOAT, DataType.UINT8, DataType.INT8, DataType.INT32].includes(t.dataType), `${test}: input ${v.name}`);
        const copy = new Uint8Array(bytes);
        const typed = dtype === 'float32' ? new Float32Array(copy.buffer) : dtype === 'uint8' ? copy : dtype === 'int8' ? new Int8Array(copy.buffer) : new Int32Array(copy.buffer);
        writeFileSync(join(mdir, 'sample', `${v.name}.npy`), encodeNpy({ dtype, shape: t.dims, data: typed }));
      }
      const report = await quantDiff(path, path, { data: mdir, latencyRuns: 0 });
      assert.ok(report.outputs.length === model.graph.outputs.length, test);
      for (const o of report.outputs) assert.equal(o.sqnrDb, null, `${test}: ${o.name} equals itself`);
      for (const t of report.tensors) assert.equal(t.sqnrDb, null, `${test}: ${t.name}`);
    }
  });
});
