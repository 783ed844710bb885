/** Generated models for the ONNX open benchmark, written to disk without holding weights in memory. */
import { ModelBuilder } from '../src/core/onnx/builder';
import { DataType, type Model, type Node, type Tensor, type TensorData } from '../src/core/onnx/model';
import { Rng } from '../src/core/onnx/builder/random';
import { writeModelFile } from '../src/core/onnx/write';

/** A chain of MatMul/Add/Relu blocks with tiny weights: `nodes` nodes in scopes /blocks/block<i>/... */
export async function writeManyNodesModel(file: string, nodes: number): Promise<number> {
  const b = new ModelBuilder({ name: 'many_nodes', seed: 11 });
  let x = b.input('x', DataType.FLOAT, [1, 8]);
  let made = 0;
  for (let i = 0; made < nodes; i++) {
    x = b.scope('blocks', () =>
      b.scope(`block${i}`, () => {
        let y = b.op('MatMul', [x, b.weight('weight', [8, 8], 0.3)]);
        made++;
        if (made < nodes) {
          y = b.op('Add', [y, b.weight('bias', [8], 0.01)]);
          made++;
        }
        if (made < nodes) {
          y = b.op('Relu', [y]);
          made++;
        }
        return y;
      }),
    );
  }
  b.output(x, DataType.FLOAT, [1, 8], 'y');
  return (await writeModelFile(b.buildModel(), file)).bytes;
}

/** A payload of `byteLength` pseudo-random bytes, produced in 4 MiB pieces on demand. */
function streamedPayload(byteLength: number, seed: number): TensorData {
  const piece = new Uint8Array(4 << 20);
  const rng = new Rng(seed);
  const words = new Uint32Array(piece.buffer);
  for (let k = 0; k < words.length; k++) words[k] = rng.nextUint32() & 0x3f7fffff; // finite floats
  async function* chunks(): AsyncIterable<Uint8Array> {
    for (let done = 0; done < byteLength; done += piece.length) yield piece.slice(0, Math.min(piece.length, byteLength - done));
  }
  return {
    location: 'inline',
    byteLength,
    chunks,
    async read() {
      const out = new Uint8Array(byteLength);
      let at = 0;
      for await (const c of chunks()) {
        out.set(c, at);
        at += c.length;
      }
      return out;
    },
  };
}

/** `layers` square float32 MatMul weights of `side` x `side` each (e.g. 6 x 8192^2 x 4 B = 1.5 GiB). */
export async function writeWeightHeavyModel(file: string, layers: number, side: number): Promise<number> {
  const initializers: Tensor[] = [];
  const nodes: Node[] = [];
  let x = 'x';
  for (let i = 0; i < layers; i++) {
    const name = `layers.${i}.weight`;
    initializers.push({ name, dataType: DataType.FLOAT, dims: [side, side], data: streamedPayload(side * side * 4, 100 + i) });
    const out = `/layers.${i}/MatMul_output_0`;
    nodes.push({ name: `/layers.${i}/MatMul`, opType: 'MatMul', domain: '', inputs: [x, name], outputs: [out], attributes: [] });
    x = out;
  }
  const model: Model = {
    irVersion: 8n,
    opsetImports: [{ domain: '', version: 17n }],
    producerName: 'aios-workbench bench',
    graph: {
      name: 'weight_heavy',
      nodes,
      initializers,
      sparseInitializers: [],
      inputs: [{ name: 'x', type: { kind: 'tensor', elemType: DataType.FLOAT, shape: [1, side] } }],
      outputs: [{ name: x, type: { kind: 'tensor', elemType: DataType.FLOAT, shape: [1, side] } }],
      valueInfo: [],
    },
    metadataProps: [],
    functions: [],
  };
  return (await writeModelFile(model, file)).bytes;
}
