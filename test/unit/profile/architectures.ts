import { ModelBuilder } from '../../../src/core/onnx/builder';
import * as attr from '../../../src/core/onnx/builder/attributes';
import { DataType, type Model } from '../../../src/core/onnx/model';

/** Standard architectures at inference form (BatchNorm folded into Conv), zero weights: shapes and cost are what matter. */
class Net {
  readonly b: ModelBuilder;
  private n = 0;
  constructor(name: string) {
    this.b = new ModelBuilder({ name, seed: 1 });
  }
  conv(x: string, cin: number, cout: number, k: number, stride = 1, group = 1, act: 'Relu' | 'Clip' | undefined = 'Relu'): string {
    const id = this.n++;
    const w = this.b.initializer(`w${id}`, [cout, cin / group, k, k], new Float32Array((cout * cin * k * k) / group));
    const bias = this.b.initializer(`b${id}`, [cout], new Float32Array(cout));
    const p = Math.floor(k / 2);
    const y = this.b.op('Conv', [x, w, bias], { strides: attr.ints([stride, stride]), pads: attr.ints([p, p, p, p]), group: attr.int(group), kernel_shape: attr.ints([k, k]) }, `/conv${id}`);
    if (act === 'Relu') return this.b.op('Relu', [y], undefined, `/relu${id}`);
    if (act === 'Clip') return this.b.op('Clip', [y, this.b.floats(`lo${id}`, [0], []), this.b.floats(`hi${id}`, [6], [])], undefined, `/clip${id}`);
    return y;
  }
  head(x: string, cin: number, classes: number): Model {
    const pooled = this.b.op('GlobalAveragePool', [x]);
    const flat = this.b.op('Flatten', [pooled]);
    const w = this.b.initializer('fc_w', [classes, cin], new Float32Array(classes * cin));
    const bias = this.b.initializer('fc_b', [classes], new Float32Array(classes));
    this.b.output(this.b.op('Gemm', [flat, w, bias], { transB: attr.int(1) }), DataType.FLOAT);
    return this.b.buildModel();
  }
}

/** ResNet-18/34 (basic blocks) and ResNet-50/101 (bottlenecks), torchvision layout. */
export function resnet(depth: 18 | 34 | 50 | 101, input: readonly number[]): Model {
  const net = new Net(`resnet${depth}`);
  let x = net.conv(net.b.input('x', DataType.FLOAT, [...input]), 3, 64, 7, 2);
  x = net.b.op('MaxPool', [x], { kernel_shape: attr.ints([3, 3]), strides: attr.ints([2, 2]), pads: attr.ints([1, 1, 1, 1]) });
  const blocks = { 18: [2, 2, 2, 2], 34: [3, 4, 6, 3], 50: [3, 4, 6, 3], 101: [3, 4, 23, 3] }[depth];
  const bottleneck = depth >= 50;
  let cin = 64;
  for (const [stage, width] of [64, 128, 256, 512].entries()) {
    for (let i = 0; i < blocks[stage]!; i++) {
      const s = i === 0 && stage > 0 ? 2 : 1;
      const out = bottleneck ? width * 4 : width;
      let y: string;
      if (bottleneck) {
        const a = net.conv(x, cin, width, 1);
        const b = net.conv(a, width, width, 3, s);
        y = net.conv(b, width, out, 1, 1, 1, undefined);
      } else {
        y = net.conv(net.conv(x, cin, width, 3, s), width, out, 3, 1, 1, undefined);
      }
      const skip = i === 0 && (s !== 1 || cin !== out) ? net.conv(x, cin, out, 1, s, 1, undefined) : x;
      x = net.b.op('Relu', [net.b.op('Add', [y, skip])]);
      cin = out;
    }
  }
  return net.head(x, cin, 1000);
}

export function resnet50(input: readonly number[]): Model {
  return resnet(50, input);
}

export function mobilenetv2(input: readonly number[]): Model {
  const net = new Net('mobilenetv2');
  let x = net.conv(net.b.input('x', DataType.FLOAT, [...input]), 3, 32, 3, 2, 1, 'Clip');
  let cin = 32;
  for (const [t, c, n, s] of [[1, 16, 1, 1], [6, 24, 2, 2], [6, 32, 3, 2], [6, 64, 4, 2], [6, 96, 3, 1], [6, 160, 3, 2], [6, 320, 1, 1]] as const) {
    for (let i = 0; i < n; i++) {
      const stride = i === 0 ? s : 1;
      const hidden = cin * t;
      let y = t === 1 ? x : net.conv(x, cin, hidden, 1, 1, 1, 'Clip');
      y = net.conv(y, hidden, hidden, 3, stride, hidden, 'Clip');
      y = net.conv(y, hidden, c, 1, 1, 1, undefined);
      x = stride === 1 && cin === c ? net.b.op('Add', [y, x]) : y;
      cin = c;
    }
  }
  x = net.conv(x, cin, 1280, 1, 1, 1, 'Clip');
  return net.head(x, 1280, 1000);
}
