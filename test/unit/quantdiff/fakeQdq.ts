/**
 * A QDQ copy of a float model for tests, written the way onnxruntime's static quantizer writes
 * one: int8 symmetric per-tensor weights behind DequantizeLinear, and every float activation
 * `t` (except graph outputs) followed by QuantizeLinear -> DequantizeLinear
 * (`t_QuantizeLinear_Output`, `t_DequantizeLinear_Output`) that its consumers read instead.
 * Activation ranges come from running the float model on the given samples (a minimal
 * minmax calibration); `levels` below 256 makes the activation grid coarser (fewer bits).
 */
import { makeTensor } from '../../../src/core/onnx/builder';
import { DataType, type Model, type Node, type Tensor } from '../../../src/core/onnx/model';
import { inferShapes } from '../../../src/core/onnx/shape';
import { elementDecoder } from '../../../src/core/onnx/tensorElements';
import { addGraphOutputs, openModelSession } from '../../../src/core/runtime/graphOutputs';
import { runSamples } from '../../../src/core/runtime/runSamples';
import type { SampleSource } from '../../../src/core/runtime/samples';
import { toFloat32 } from '../../../src/core/runtime/tensors';

const weightOps: Readonly<Record<string, number>> = { Conv: 1, Gemm: 1, MatMul: 1 };

export async function fakeQdq(model: Model, source: SampleSource, levels = 256): Promise<Model> {
  const { graph } = model;
  const shapes = await inferShapes(model);
  const outputs = new Set(graph.outputs.map((o) => o.name));
  const activations = graph.nodes.flatMap((n) => n.outputs).filter((t) => t !== '' && !outputs.has(t) && shapes.tensors.get(t)?.dtype === DataType.FLOAT);
  const ranges = new Map<string, { min: number; max: number }>();
  const added = await addGraphOutputs(model, activations, { shapes });
  const session = await openModelSession(added.model);
  try {
    await runSamples(session, source, (results) => {
      for (const [name, tensor] of results) {
        const r = ranges.get(name) ?? { min: 0, max: 0 };
        for (const v of toFloat32(tensor)) {
          if (v < r.min) r.min = v;
          if (v > r.max) r.max = v;
        }
        ranges.set(name, r);
      }
    });
  } finally {
    await session.release();
  }
  const initializers: Tensor[] = graph.initializers.filter((t) => !weightNames(graph.nodes).has(t.name));
  const nodes: Node[] = [];
  for (const t of graph.initializers.filter((w) => weightNames(graph.nodes).has(w.name))) {
    const decode = elementDecoder(t.dataType, await t.data.read());
    const count = t.dims.reduce((a, b) => a * b, 1);
    const values = Float32Array.from({ length: count }, (_, i) => decode?.(i) ?? 0);
    const scale = Math.max(...values.map(Math.abs)) / 127 || 1;
    initializers.push(makeTensor(`${t.name}_quantized`, t.dims, Int8Array.from(values, (v) => Math.round(v / scale))));
    initializers.push(makeTensor(`${t.name}_scale`, [], new Float32Array([scale])));
    nodes.push({ name: `${t.name}_DequantizeLinear`, opType: 'DequantizeLinear', domain: '', inputs: [`${t.name}_quantized`, `${t.name}_scale`], outputs: [t.name], attributes: [] });
  }
  const rename = new Map<string, string>();
  const qdq = new Map<string, Node[]>();
  for (const t of activations) {
    const r = ranges.get(t);
    if (!r) continue;
    const scale = (r.max - r.min) / (levels - 1) || 1;
    const zeroPoint = Math.min(255, Math.max(0, Math.round(-r.min / scale)));
    initializers.push(makeTensor(`${t}_scale`, [], new Float32Array([scale])));
    initializers.push(makeTensor(`${t}_zero_point`, [], new Uint8Array([zeroPoint])));
    qdq.set(t, [
      { name: `${t}_QuantizeLinear`, opType: 'QuantizeLinear', domain: '', inputs: [t, `${t}_scale`, `${t}_zero_point`], outputs: [`${t}_QuantizeLinear_Output`], attributes: [] },
      { name: `${t}_DequantizeLinear`, opType: 'DequantizeLinear', domain: '', inputs: [`${t}_QuantizeLinear_Output`, `${t}_scale`, `${t}_zero_point`], outputs: [`${t}_DequantizeLinear_Output`], attributes: [] },
    ]);
    rename.set(t, `${t}_DequantizeLinear_Output`);
  }
  for (const n of graph.nodes) {
    nodes.push({ ...n, inputs: n.inputs.map((i) => rename.get(i) ?? i) });
    for (const o of n.outputs) nodes.push(...(qdq.get(o) ?? []));
  }
  return { ...model, graph: { ...graph, initializers, nodes, valueInfo: [] } };
}

function weightNames(nodes: readonly Node[]): Set<string> {
  return new Set(nodes.flatMap((n) => (weightOps[n.opType] !== undefined ? [n.inputs[weightOps[n.opType] as number] ?? ''] : [])));
}
