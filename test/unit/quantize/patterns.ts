/** One small model per op pattern the int8 quantizer handles, built with our ONNX builder. */
import { DataType, type Model } from '../../../src/core/onnx/model';
import { ModelBuilder, attr } from '../../../src/core/onnx/builder';
import { conv, convBnRelu, gemm } from '../../../src/core/onnx/fixtures/layers';

export interface Pattern {
  readonly name: string;
  readonly model: Model;
  readonly inputs: Readonly<Record<string, readonly number[]>>;
  /** Ops onnxruntime's optimised graph must contain once the QDQ groups are fused. */
  readonly fusedOps: readonly string[];
}

function image(name: string, build: (b: ModelBuilder, x: string) => string, shape: readonly number[] = [1, 8, 16, 16]): Pick<Pattern, 'model' | 'inputs'> {
  const b = new ModelBuilder({ name, seed: 3 });
  const x = b.input('x', DataType.FLOAT, shape);
  b.output(build(b, x), DataType.FLOAT, undefined, 'y');
  return { model: b.buildModel(), inputs: { x: shape } };
}

export function patterns(): Pattern[] {
  return [
    { name: 'Conv + BatchNormalization + Relu', ...image('conv', (b, x) => conv(b, 'out', convBnRelu(b, 'c', x, { inChannels: 8, outChannels: 16, kernel: 3 }), { inChannels: 16, outChannels: 8, kernel: 1, bias: true })), fusedOps: ['QLinearConv'] },
    {
      name: 'Conv + Clip (ReLU6)',
      ...image('clip', (b, x) => {
        const c = conv(b, 'c', x, { inChannels: 8, outChannels: 16, kernel: 3, bias: true });
        const clipped = b.op('Clip', [c, b.floats('lo', [0], []), b.floats('hi', [6], [])]);
        return conv(b, 'out', clipped, { inChannels: 16, outChannels: 8, kernel: 1, bias: true });
      }),
      fusedOps: ['QLinearConv'],
    },
    {
      name: 'ConvTranspose',
      ...image('deconv', (b, x) => {
        const c = conv(b, 'c', x, { inChannels: 8, outChannels: 16, kernel: 3, bias: true });
        const w = b.weight('up_w', [16, 8, 2, 2], 0.2);
        const up = b.op('ConvTranspose', [c, w, b.weight('up_b', [8], 0.01)], { strides: attr.ints([2, 2]), kernel_shape: attr.ints([2, 2]) });
        return conv(b, 'out', up, { inChannels: 8, outChannels: 4, kernel: 1, bias: true });
      }),
      // onnxruntime 1.30's CPU provider has no QLinearConvTranspose: DQ -> ConvTranspose runs in float with int8-stored weights.
      fusedOps: ['QLinearConv'],
    },
    {
      name: 'MatMul with constant weights, 3-D input',
      ...image('matmul', (b, x) => {
        const h = b.op('MatMul', [x, b.weight('w1', [32, 64], 0.2)]);
        const a = b.op('Add', [h, b.weight('b1', [64], 0.05)]);
        return b.op('MatMul', [b.op('Relu', [a]), b.weight('w2', [64, 32], 0.15)]);
      }, [1, 16, 32]),
      fusedOps: ['QLinearMatMul'],
    },
    {
      name: 'MatMul of two activations (attention scores)',
      ...image('qk', (b, x) => {
        const q = b.op('MatMul', [x, b.weight('wq', [32, 32], 0.2)]);
        const k = b.op('MatMul', [x, b.weight('wk', [32, 32], 0.2)]);
        const kt = b.op('Transpose', [k], { perm: attr.ints([0, 2, 1]) });
        return b.op('MatMul', [q, kt]);
      }, [1, 16, 32]),
      fusedOps: ['QLinearMatMul'],
    },
    { name: 'Gemm', ...image('gemm', (b, x) => gemm(b, 'fc2', b.op('Relu', [gemm(b, 'fc1', x, 64, 128)]), 128, 10), [4, 64]), fusedOps: ['QGemm'] },
    {
      name: 'Add and Mul of two branches (residual)',
      ...image('residual', (b, x) => {
        const a = conv(b, 'a', x, { inChannels: 8, outChannels: 8, kernel: 3, bias: true });
        const c = conv(b, 'c', a, { inChannels: 8, outChannels: 8, kernel: 3, bias: true });
        const sum = b.op('Add', [a, c]);
        const prod = b.op('Mul', [sum, c]);
        return conv(b, 'out', prod, { inChannels: 8, outChannels: 8, kernel: 1, bias: true });
      }),
      fusedOps: ['QLinearAdd', 'QLinearMul'],
    },
    {
      name: 'Concat',
      ...image('concat', (b, x) => {
        const a = conv(b, 'a', x, { inChannels: 8, outChannels: 8, kernel: 3, bias: true });
        const c = conv(b, 'c', x, { inChannels: 8, outChannels: 4, kernel: 1, bias: true });
        return conv(b, 'out', b.op('Concat', [a, c], { axis: attr.int(1) }), { inChannels: 12, outChannels: 8, kernel: 1, bias: true });
      }),
      fusedOps: ['QLinearConcat'],
    },
    {
      name: 'MaxPool, AveragePool, GlobalAveragePool',
      ...image('pool', (b, x) => {
        const a = conv(b, 'a', x, { inChannels: 8, outChannels: 8, kernel: 3, bias: true });
        const m = b.op('MaxPool', [a], { kernel_shape: attr.ints([2, 2]), strides: attr.ints([2, 2]) });
        const c = conv(b, 'c', m, { inChannels: 8, outChannels: 8, kernel: 3, bias: true });
        const p = b.op('AveragePool', [c], { kernel_shape: attr.ints([2, 2]), strides: attr.ints([2, 2]) });
        const d = conv(b, 'd', p, { inChannels: 8, outChannels: 8, kernel: 1, bias: true });
        return conv(b, 'out', b.op('GlobalAveragePool', [d]), { inChannels: 8, outChannels: 4, kernel: 1, bias: true });
      }),
      fusedOps: ['QLinearAveragePool', 'QLinearGlobalAveragePool'],
    },
    {
      name: 'Resize (nearest and linear)',
      ...image('resize', (b, x) => {
        const a = conv(b, 'a', x, { inChannels: 8, outChannels: 8, kernel: 3, bias: true });
        const scales = b.floats('scales', [1, 1, 2, 2]);
        const up = b.op('Resize', [a, '', scales], { mode: attr.str('linear') });
        const up2 = b.op('Resize', [up, '', scales], { mode: attr.str('nearest') }, 'Resize_1');
        return conv(b, 'out', up2, { inChannels: 8, outChannels: 4, kernel: 1, bias: true });
      }, [1, 8, 8, 8]),
      fusedOps: ['QLinearConv'],
    },
  ];
}
