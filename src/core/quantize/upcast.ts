/**
 * The float32 network of a model stored in float16 (as onnxconverter-common's float16
 * conversion writes it: float16 weights, Casts around the ops it kept in float32 and at the
 * float32 inputs and outputs). Every float16 value is exactly representable in float32, so
 * the result computes with the same weights, in float32 throughout: the reference network
 * when a vendor ships only the float16 model (and its quantized sibling), not the original.
 * - float16 initializers and Constant/ConstantOfShape values become float32 (same values);
 * - a Cast between two float types becomes an Identity and is removed; a Cast to float16
 *   from another type casts to float32;
 * - float16 graph inputs, outputs and value infos are declared float32.
 */
import { DataType, type Attribute, type Graph, type Model, type Tensor, type TypeProto, type ValueInfo } from '../onnx/model';
import { makeTensor } from '../onnx/builder';
import { inferShapes } from '../onnx/shape';
import { removeIdentities } from './prepare';
import { readFloats } from './tensorValues';

export interface UpcastResult {
  readonly model: Model;
  /** What changed, one line each. */
  readonly notes: readonly string[];
}

const floatTypes: ReadonlySet<DataType | undefined> = new Set([DataType.FLOAT, DataType.FLOAT16]);

async function upcastTensor(t: Tensor, signal?: AbortSignal): Promise<Tensor> {
  if (t.dataType !== DataType.FLOAT16) return t;
  return makeTensor(t.name, t.dims, (await readFloats(t, signal))!);
}

function upcastType(type: TypeProto | undefined): TypeProto | undefined {
  return type?.kind === 'tensor' && type.elemType === DataType.FLOAT16 ? { ...type, elemType: DataType.FLOAT } : type;
}

function upcastValueInfo(v: ValueInfo): ValueInfo {
  const type = upcastType(v.type);
  return type === v.type ? v : { ...v, type: type! };
}

async function upcastAttribute(a: Attribute, signal?: AbortSignal): Promise<Attribute> {
  if (a.value.type === 'tensor' && a.value.value.dataType === DataType.FLOAT16) return { ...a, value: { type: 'tensor', value: await upcastTensor(a.value.value, signal) } };
  return a;
}

export async function upcastFloat16(model: Model, signal?: AbortSignal): Promise<UpcastResult> {
  const { graph } = model;
  const shapes = await inferShapes(model, { signal });
  let weights = 0;
  const initializers: Tensor[] = [];
  for (const t of graph.initializers) {
    if (t.dataType === DataType.FLOAT16) weights++;
    initializers.push(await upcastTensor(t, signal));
  }
  let identities = 0;
  let casts = 0;
  const nodes = [];
  for (const n of graph.nodes) {
    if (n.opType === 'Cast' && n.domain === '') {
      const to = n.attributes.find((a) => a.name === 'to');
      const target = to?.value.type === 'int' ? Number(to.value.value) : undefined;
      if (floatTypes.has(target) && floatTypes.has(shapes.tensors.get(n.inputs[0] ?? '')?.dtype)) {
        nodes.push({ ...n, opType: 'Identity', attributes: [] });
        identities++;
        continue;
      }
      if (target === DataType.FLOAT16) {
        nodes.push({ ...n, attributes: n.attributes.map((a) => (a === to ? { ...a, value: { type: 'int' as const, value: BigInt(DataType.FLOAT) } } : a)) });
        casts++;
        continue;
      }
    }
    if ((n.opType === 'Constant' || n.opType === 'ConstantOfShape') && n.domain === '') {
      nodes.push({ ...n, attributes: await Promise.all(n.attributes.map((a) => upcastAttribute(a, signal))) });
      continue;
    }
    nodes.push(n);
  }
  const notes = [`${weights} float16 initializer(s) widened to float32`];
  if (casts > 0) notes.push(`${casts} Cast(s) to float16 now cast to float32`);
  const upcast: Graph = {
    ...graph,
    nodes,
    initializers,
    inputs: graph.inputs.map(upcastValueInfo),
    outputs: graph.outputs.map(upcastValueInfo),
    valueInfo: graph.valueInfo.map(upcastValueInfo),
  };
  const cleaned = removeIdentities(upcast, []);
  notes.push(`${identities} Cast(s) between float types removed`);
  return { model: { ...model, graph: cleaned }, notes };
}
