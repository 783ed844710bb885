import { DataType, type Attribute, type Graph, type Model, type Node, type Tensor, type ValueInfo } from '../../../src/core/onnx/model';

/** In-memory tensor whose bytes come from a deterministic generator (no files involved). */
export function tensor(name: string, dims: number[], fill: (i: number) => number = (i) => Math.sin(i * 0.37) * 0.1, dataType = DataType.FLOAT): Tensor {
  const count = dims.reduce((a, b) => a * b, 1);
  return {
    name,
    dataType,
    dims,
    data: {
      byteLength: count * 4,
      location: 'inline',
      read: async () => {
        const values = new Float32Array(count);
        for (let i = 0; i < count; i++) values[i] = fill(i);
        return new Uint8Array(values.buffer);
      },
    },
  };
}

export function valueInfo(name: string, shape: Array<number | string>, elemType = DataType.FLOAT): ValueInfo {
  return { name, type: { kind: 'tensor', elemType, shape } };
}

export function node(opType: string, name: string, inputs: string[], outputs: string[], attributes: Attribute[] = [], extra: Partial<Node> = {}): Node {
  return { name, opType, domain: '', inputs, outputs, attributes, ...extra };
}

export function intAttr(name: string, value: number): Attribute {
  return { name, value: { type: 'int', value: BigInt(value) } };
}

export function graph(parts: Partial<Graph> & Pick<Graph, 'nodes'>): Graph {
  return { name: 'g', initializers: [], sparseInitializers: [], inputs: [], outputs: [], valueInfo: [], ...parts };
}

export function model(g: Graph, extra: Partial<Model> = {}): Model {
  return {
    irVersion: 10n,
    opsetImports: [{ domain: '', version: 21n }],
    producerName: 'aios-test',
    graph: g,
    metadataProps: [],
    functions: [],
    ...extra,
  };
}

/**
 * A transformer-like encoder with name scopes `/encoder/layer.N/{attn,mlp}/…`, about
 * `targetNodes` op nodes, declared shapes on every tensor (hidden size 64, sequence 128).
 */
export function transformerModel(targetNodes: number, options: { hidden?: number; weightDims?: boolean } = {}): Model {
  const hidden = options.hidden ?? 64;
  const nodes: Node[] = [];
  const initializers: Tensor[] = [];
  const infos: ValueInfo[] = [];
  const act = [1, 128, hidden];
  let x = 'input_ids';
  const emit = (op: string, scope: string, name: string, inputs: string[], shape = act, attrs: Attribute[] = []): string => {
    const out = `${scope}/${name}_output_0`;
    nodes.push(node(op, `${scope}/${name}`, inputs, [out], attrs));
    infos.push(valueInfo(out, shape));
    return out;
  };
  const weight = (name: string, dims: number[]) => {
    initializers.push(tensor(name, dims));
    return name;
  };
  nodes.push(node('Gather', '/embeddings/Gather', ['embeddings.weight', 'input_ids'], ['/embeddings/Gather_output_0']));
  initializers.push(tensor('embeddings.weight', [1000, hidden]));
  infos.push(valueInfo('/embeddings/Gather_output_0', act));
  x = '/embeddings/Gather_output_0';
  const perLayer = 17;
  const layers = Math.max(1, Math.round((targetNodes - 2) / perLayer));
  for (let l = 0; l < layers; l++) {
    const s = `/encoder/layer.${l}`;
    const ln1 = emit('LayerNormalization', `${s}/attn`, 'LayerNorm', [x, weight(`${s}.ln1.weight`, [hidden]), weight(`${s}.ln1.bias`, [hidden])]);
    const q = emit('MatMul', `${s}/attn/q`, 'MatMul', [ln1, weight(`${s}.q.weight`, [hidden, hidden])]);
    const k = emit('MatMul', `${s}/attn/k`, 'MatMul', [ln1, weight(`${s}.k.weight`, [hidden, hidden])]);
    const v = emit('MatMul', `${s}/attn/v`, 'MatMul', [ln1, weight(`${s}.v.weight`, [hidden, hidden])]);
    const kt = emit('Transpose', `${s}/attn`, 'Transpose', [k], [1, hidden, 128]);
    const scores = emit('MatMul', `${s}/attn`, 'MatMul_scores', [q, kt], [1, 128, 128]);
    const scaled = emit('Div', `${s}/attn`, 'Div', [scores, weight(`${s}.scale`, [])], [1, 128, 128]);
    const probs = emit('Softmax', `${s}/attn`, 'Softmax', [scaled], [1, 128, 128], [intAttr('axis', -1)]);
    const ctx = emit('MatMul', `${s}/attn`, 'MatMul_context', [probs, v]);
    const proj = emit('MatMul', `${s}/attn/out`, 'MatMul', [ctx, weight(`${s}.o.weight`, [hidden, hidden])]);
    const res1 = emit('Add', `${s}`, 'Add_attn', [x, proj]);
    const ln2 = emit('LayerNormalization', `${s}/mlp`, 'LayerNorm', [res1, weight(`${s}.ln2.weight`, [hidden]), weight(`${s}.ln2.bias`, [hidden])]);
    const up = emit('MatMul', `${s}/mlp/fc1`, 'MatMul', [ln2, weight(`${s}.fc1.weight`, [hidden, 4 * hidden])], [1, 128, 4 * hidden]);
    const upb = emit('Add', `${s}/mlp/fc1`, 'Add', [up, weight(`${s}.fc1.bias`, [4 * hidden])], [1, 128, 4 * hidden]);
    const gelu = emit('Gelu', `${s}/mlp`, 'Gelu', [upb], [1, 128, 4 * hidden]);
    const down = emit('MatMul', `${s}/mlp/fc2`, 'MatMul', [gelu, weight(`${s}.fc2.weight`, [4 * hidden, hidden])]);
    x = emit('Add', `${s}`, 'Add_mlp', [res1, down]);
  }
  nodes.push(node('LayerNormalization', '/final/LayerNorm', [x, weight('final.weight', [hidden]), weight('final.bias', [hidden])], ['last_hidden_state']));
  return model(
    graph({
      name: 'encoder',
      nodes,
      initializers,
      inputs: [valueInfo('input_ids', [1, 128], DataType.INT64)],
      outputs: [valueInfo('last_hidden_state', [1, 128, hidden])],
      valueInfo: infos,
    }),
  );
}

/** A chain of `count` unnamed-scope nodes (no '/' in names): exercises synthetic chunk groups. */
export function flatChainModel(count: number): Model {
  const nodes: Node[] = [];
  let x = 'x';
  for (let i = 0; i < count; i++) {
    const out = `t${i}`;
    nodes.push(node(i % 3 === 0 ? 'Relu' : i % 3 === 1 ? 'Sigmoid' : 'Neg', `n${i}`, [x], [out]));
    x = out;
  }
  return model(graph({ nodes, inputs: [valueInfo('x', [1, 8])], outputs: [valueInfo(x, [1, 8])] }));
}
