/** Reading weights as numbers, making the small tensors quantization adds (scales, zero points), and naming new tensors. */
import { DataType, type Graph, type Tensor } from '../onnx/model';
import { makeTensor } from '../onnx/builder';
import { elementDecoder } from '../onnx/tensorElements';

/** A float tensor's values as float32 (float16/double converted); undefined for non-float types. */
export async function readFloats(tensor: Tensor, signal?: AbortSignal): Promise<Float32Array | undefined> {
  const count = tensor.dims.reduce((a, b) => a * b, 1);
  if (tensor.dataType !== DataType.FLOAT && tensor.dataType !== DataType.FLOAT16 && tensor.dataType !== DataType.DOUBLE) return undefined;
  const bytes = await tensor.data.read(signal);
  if (tensor.dataType === DataType.FLOAT) {
    if (bytes.byteLength !== count * 4) throw new Error(`tensor ${tensor.name}: ${bytes.byteLength} bytes for ${count} float32 values`);
    // Copy: the payload may be a view at an offset that is not a multiple of 4.
    const out = new Float32Array(count);
    new Uint8Array(out.buffer).set(bytes);
    return out;
  }
  const decode = elementDecoder(tensor.dataType, bytes)!;
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) out[i] = decode(i);
  return out;
}

export function scalarFloat(name: string, value: number): Tensor {
  return makeTensor(name, [], Float32Array.of(value));
}

export function zeroPoint(name: string, type: DataType.UINT8 | DataType.INT8 | DataType.INT32, values: readonly number[], perAxis: boolean): Tensor {
  const dims = perAxis ? [values.length] : [];
  if (type === DataType.UINT8) return makeTensor(name, dims, Uint8Array.from(values));
  if (type === DataType.INT8) return makeTensor(name, dims, Int8Array.from(values));
  return makeTensor(name, dims, Int32Array.from(values));
}

/** A namer of new tensors and nodes: `base`, or `base_1`, `base_2`... when the graph (or an earlier call) has it. */
export function freshNames(graph: Graph): (base: string) => string {
  const names = new Set<string>([...graph.initializers.map((t) => t.name), ...graph.inputs.map((i) => i.name)]);
  for (const n of graph.nodes) for (const o of n.outputs) names.add(o);
  return (base) => {
    let name = base;
    for (let k = 1; names.has(name); k++) name = `${base}_${k}`;
    names.add(name);
    return name;
  };
}
