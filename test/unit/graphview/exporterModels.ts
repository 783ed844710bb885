import { attr, makeTensor, ModelBuilder, type TensorValues } from '../../../src/core/onnx/builder';
import { DataType, type Model } from '../../../src/core/onnx/model';

/*
 * Graphs shaped the way real exporters write them (names, weight nodes, scopes), built with
 * our ONNX builder: what the graph view must fold and group well.
 */

function constantNode(b: ModelBuilder, output: string, dims: readonly number[], values: TensorValues): string {
  b.node('Constant', [], { name: '', attributes: { value: attr.tensor(makeTensor(output, dims, values)) }, outputs: [output] });
  return output;
}

/** Seeded float32 values. */
function normal(b: ModelBuilder, dims: readonly number[], std = 0.1): Float32Array {
  return b.rng.normalArray(dims.reduce((a, c) => a * c, 1), std, 0);
}

/**
 * paddle2onnx style: unnamed nodes, every weight in a `Constant` node (all Constants first, as
 * paddle2onnx sorts them), tensors named `<op>_<k>.w_0` / `<op>_<k>.tmp_0` so that every op is
 * alone in a one-op "scope"; dynamic input dims `p2o.DynamicDimension.*`; a hard-swish with
 * scalar constants. `blocks` Conv-BN-HardSwish blocks (about 8 nodes each incl. 9 Constants).
 */
export function paddleStyleModel(blocks: number, options: { channels?: number } = {}): Model {
  const b = new ModelBuilder({ name: 'paddle', seed: 7, opset: 11, producerName: '' });
  const c = options.channels ?? 8;
  const x = b.input('x', DataType.FLOAT, ['p2o.DynamicDimension.0', 3, 'p2o.DynamicDimension.1', 'p2o.DynamicDimension.2']);
  // Constants first, as paddle2onnx writes them.
  const weights: Array<{ w: string; scale: string; bias: string; mean: string; variance: string; three: string; six: string; zero: string }> = [];
  for (let k = 0; k < blocks; k++) {
    const inC = k === 0 ? 3 : c;
    weights.push({
      w: constantNode(b, `conv2d_${k}.w_0`, [c, inC, 3, 3], normal(b, [c, inC, 3, 3])),
      scale: constantNode(b, `batch_norm_${k}.w_0`, [c], normal(b, [c], 1)),
      bias: constantNode(b, `batch_norm_${k}.b_0`, [c], normal(b, [c])),
      mean: constantNode(b, `batch_norm_${k}.w_1`, [c], normal(b, [c])),
      variance: constantNode(b, `batch_norm_${k}.w_2`, [c], Float32Array.from({ length: c }, () => 1)),
      three: constantNode(b, `hardswish_${k}.tmp_c3`, [1], Float32Array.from([3])),
      six: constantNode(b, `hardswish_${k}.tmp_c6`, [1], Float32Array.from([6])),
      zero: constantNode(b, `hardswish_${k}.tmp_c0`, [1], Float32Array.from([0])),
    });
  }
  let h = x;
  weights.forEach((w, k) => {
    const conv = b.node('Conv', [h, w.w], { name: '', outputs: [`conv2d_${k}.tmp_0`], attributes: { pads: attr.ints([1, 1, 1, 1]), kernel_shape: attr.ints([3, 3]) } })[0]!;
    const bn = b.node('BatchNormalization', [conv, w.scale, w.bias, w.mean, w.variance], { name: '', outputs: [`batch_norm_${k}.tmp_2`] })[0]!;
    const add = b.node('Add', [bn, w.three], { name: '', outputs: [`hardswish_${k}.tmp_0`] })[0]!;
    const clip = b.node('Clip', [add, w.zero, w.six], { name: '', outputs: [`hardswish_${k}.tmp_1`] })[0]!;
    const mul = b.node('Mul', [bn, clip], { name: '', outputs: [`hardswish_${k}.tmp_2`] })[0]!;
    h = b.node('Div', [mul, w.six], { name: '', outputs: [`hardswish_${k}.tmp_3`] })[0]!;
  });
  b.output(h, DataType.FLOAT, ['p2o.DynamicDimension.0', c, 'p2o.DynamicDimension.3', 'p2o.DynamicDimension.4']);
  const model = b.buildModel();
  // paddle2onnx leaves nodes unnamed (the builder makes names unique).
  return { ...model, graph: { ...model.graph, nodes: model.graph.nodes.map((n) => ({ ...n, name: '' })) } };
}

/**
 * torch.onnx style: `/backbone/layer1/conv/Conv` node names, initializers named
 * `backbone.layer1.conv.weight`, shape constants in `/head/Constant` nodes.
 */
export function torchStyleModel(layers = 3): Model {
  const b = new ModelBuilder({ name: 'main_graph', seed: 3, producerName: 'pytorch', producerVersion: '2.3.0' });
  const c = 8;
  let h = b.input('input', DataType.FLOAT, ['batch', 3, 32, 32]);
  b.scope('stem', () => {
    const w = b.initializer('stem.conv.weight', [c, 3, 3, 3], normal(b, [c, 3, 3, 3]));
    h = b.scope('conv', () => b.op('Conv', [h, w], { pads: attr.ints([1, 1, 1, 1]) }));
    h = b.op('Relu', [h]);
  });
  b.scope('backbone', () => {
    for (let l = 1; l <= layers; l++) {
      b.scope(`layer${l}`, () => {
        const skip = h;
        const w1 = b.initializer(`backbone.layer${l}.conv1.weight`, [c, c, 3, 3], normal(b, [c, c, 3, 3]));
        const w2 = b.initializer(`backbone.layer${l}.conv2.weight`, [c, c, 3, 3], normal(b, [c, c, 3, 3]));
        h = b.scope('conv1', () => b.op('Conv', [h, w1], { pads: attr.ints([1, 1, 1, 1]) }));
        h = b.scope('relu', () => b.op('Relu', [h]));
        h = b.scope('conv2', () => b.op('Conv', [h, w2], { pads: attr.ints([1, 1, 1, 1]) }));
        h = b.op('Add', [h, skip]);
        h = b.op('Relu', [h]);
      });
    }
  });
  b.scope('head', () => {
    h = b.op('GlobalAveragePool', [h]);
    const shape = b.node('Constant', [], { attributes: { value: attr.tensor(makeTensor('shape', [2], BigInt64Array.from([1n, -1n]))) } })[0]!;
    h = b.op('Reshape', [h, shape]);
    const w = b.initializer('head.fc.weight', [10, c], normal(b, [10, c]));
    const bias = b.initializer('head.fc.bias', [10], normal(b, [10]));
    h = b.op('Gemm', [h, w, bias], { transB: attr.int(1) });
  });
  b.output(h, DataType.FLOAT, ['batch', 10], 'logits');
  return b.buildModel();
}

/**
 * tf2onnx style: everything under `StatefulPartitionedCall/model/...`, weights passed through
 * `Identity` nodes (`.../ReadVariableOp:0`) and an HWIO kernel transposed to OIHW, the NHWC
 * input transposed to NCHW.
 */
export function tf2onnxStyleModel(convs = 3): Model {
  const b = new ModelBuilder({ name: 'tf2onnx', seed: 5, producerName: 'tf2onnx', producerVersion: '1.16.1' });
  const c = 8;
  const input = b.input('input_1', DataType.FLOAT, ['unk__12', 32, 32, 3]);
  let h = b.node('Transpose', [input], { name: 'StatefulPartitionedCall/model/conv2d/Conv2D__6', attributes: { perm: attr.ints([0, 3, 1, 2]) } })[0]!;
  for (let k = 0; k < convs; k++) {
    const scope = `StatefulPartitionedCall/model/conv2d_${k}`;
    const inC = k === 0 ? 3 : c;
    const hwio = b.initializer(`${scope}/Conv2D/ReadVariableOp:0`, [3, 3, inC, c], normal(b, [3, 3, inC, c]));
    const read = b.node('Identity', [hwio], { name: `${scope}/Conv2D/ReadVariableOp`, outputs: [`${scope}/Conv2D/ReadVariableOp__1:0`] })[0]!;
    const kernel = b.node('Transpose', [read], { name: `${scope}/Conv2D__7`, attributes: { perm: attr.ints([3, 2, 0, 1]) } })[0]!;
    const bias = b.initializer(`${scope}/BiasAdd/ReadVariableOp:0`, [c], normal(b, [c]));
    h = b.node('Conv', [h, kernel, bias], { name: `${scope}/Conv2D`, attributes: { pads: attr.ints([1, 1, 1, 1]) } })[0]!;
    h = b.node('Relu', [h], { name: `${scope}/Relu` })[0]!;
  }
  h = b.node('GlobalAveragePool', [h], { name: 'StatefulPartitionedCall/model/global_average_pooling2d/Mean' })[0]!;
  b.output(h, DataType.FLOAT, ['unk__12', c, 1, 1], 'output_0');
  return b.buildModel();
}

/** A QDQ-quantized CNN: activations Quantize/DequantizeLinear'd, int8 weights DequantizeLinear'd from initializers. */
export function qdqModel(convs = 3): Model {
  const b = new ModelBuilder({ name: 'qdq', seed: 9, opset: 17, producerName: 'onnx.quantize' });
  const c = 8;
  let h = b.input('images', DataType.FLOAT, [1, 3, 32, 32]);
  const xScale = b.floats('x_scale', [0.02], []);
  const xZero = b.initializer('x_zero_point', [], Uint8Array.from([128]));
  for (let k = 0; k < convs; k++) {
    b.scope(`conv${k}`, () => {
      const inC = k === 0 ? 3 : c;
      const count = c * inC * 9;
      const wq = b.initializer('weight_quantized', [c, inC, 3, 3], Int8Array.from({ length: count }, (_, i) => ((i * 37) % 255) - 127));
      const wScale = b.floats('weight_scale', Array.from({ length: c }, (_, i) => 0.001 * (i + 1)));
      const wZero = b.initializer('weight_zero_point', [c], new Int8Array(c));
      const w = b.node('DequantizeLinear', [wq, wScale, wZero], { name: 'weight_DequantizeLinear', attributes: { axis: attr.int(0) } })[0]!;
      const q = b.op('QuantizeLinear', [h, xScale, xZero], undefined, 'input_QuantizeLinear');
      const dq = b.op('DequantizeLinear', [q, xScale, xZero], undefined, 'input_DequantizeLinear');
      h = b.op('Conv', [dq, w], { pads: attr.ints([1, 1, 1, 1]) });
      h = b.op('Relu', [h]);
    });
  }
  b.output(h, DataType.FLOAT, [1, c, 32, 32], 'output');
  return b.buildModel();
}
