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

/** TensorFlow's make_divisible: channels scaled by a width multiplier, rounded to a multiple of 8, never more than 10 % below. */
function divisible(channels: number, width: number): number {
  const v = channels * width;
  const rounded = Math.max(8, Math.floor((v + 4) / 8) * 8);
  return rounded < 0.9 * v ? rounded + 8 : rounded;
}

/** MobileNet-v2 (inverted residuals, ReLU6) at a width multiplier (1.0, or 1.4 with 1792 final channels). */
export function mobilenetv2(input: readonly number[], width = 1): Model {
  const net = new Net(width === 1 ? 'mobilenetv2' : `mobilenetv2-${width}`);
  let cin = divisible(32, width);
  let x = net.conv(net.b.input('x', DataType.FLOAT, [...input]), 3, cin, 3, 2, 1, 'Clip');
  for (const [t, channels, n, s] of [[1, 16, 1, 1], [6, 24, 2, 2], [6, 32, 3, 2], [6, 64, 4, 2], [6, 96, 3, 1], [6, 160, 3, 2], [6, 320, 1, 1]] as const) {
    const c = divisible(channels, width);
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
  const last = width > 1 ? divisible(1280, width) : 1280;
  x = net.conv(x, cin, last, 1, 1, 1, 'Clip');
  return net.head(x, last, 1000);
}

/** MobileNet-v1 body: a 3x3 stem and 13 depthwise-separable blocks (ReLU6); returns the 19x19-stride and last feature maps. */
function mobilenetv1Body(net: Net, input: readonly number[]): { c11: string; c13: string } {
  let x = net.conv(net.b.input('x', DataType.FLOAT, [...input]), 3, 32, 3, 2, 1, 'Clip');
  let cin = 32;
  let c11 = x;
  const blocks = [[64, 1], [128, 2], [128, 1], [256, 2], [256, 1], [512, 2], [512, 1], [512, 1], [512, 1], [512, 1], [512, 1], [1024, 2], [1024, 1]] as const;
  for (const [i, [c, s]] of blocks.entries()) {
    x = net.conv(x, cin, cin, 3, s, cin, 'Clip');
    x = net.conv(x, cin, c, 1, 1, 1, 'Clip');
    cin = c;
    if (i === 10) c11 = x;
  }
  return { c11, c13: x };
}

/** MobileNet-v1 1.0 classifier (TensorFlow layout: 1024 features, 1000 classes plus background folded into 1001 logits). */
export function mobilenetv1(input: readonly number[]): Model {
  const net = new Net('mobilenetv1');
  return net.head(mobilenetv1Body(net, input).c13, 1024, 1001);
}

/**
 * SSD-MobileNet-v1 as in MLPerf's edge suite (TensorFlow ssd_mobilenet_v1_coco, 300x300, 91 classes):
 * box and class predictors (1x1 convolutions) on conv11 and conv13 and four extra feature maps,
 * 3 anchors per cell on the first map and 6 on the others (1917 boxes). Box decoding and NMS are
 * left out: they run outside the network (a TensorRT plugin, TFLite's custom op).
 */
export function ssdMobilenetv1(input: readonly number[]): Model {
  const net = new Net('ssd-mobilenetv1');
  const { c11, c13 } = mobilenetv1Body(net, input);
  const maps: Array<[string, number]> = [[c11, 512], [c13, 1024]];
  let x = c13;
  let cin = 1024;
  for (const [mid, out] of [[256, 512], [128, 256], [128, 256], [64, 128]] as const) {
    x = net.conv(net.conv(x, cin, mid, 1, 1, 1, 'Clip'), mid, out, 3, 2, 1, 'Clip');
    maps.push([x, out]);
    cin = out;
  }
  for (const [i, [map, channels]] of maps.entries()) {
    const anchors = i === 0 ? 3 : 6;
    net.b.output(net.conv(map, channels, anchors * 4, 1, 1, 1, undefined), DataType.FLOAT);
    net.b.output(net.conv(map, channels, anchors * 91, 1, 1, 1, undefined), DataType.FLOAT);
  }
  return net.b.buildModel();
}

/**
 * RegNetX-200MF (pycls): a 3x3 stem of 32 channels, four stages of widths 24, 56, 152, 368 and
 * depths 1, 1, 4, 7, each block a 1x1, a 3x3 group convolution (8 channels per group, stride 2
 * in a stage's first block) and a 1x1 with a projected shortcut where the shape changes.
 */
export function regnetx200mf(input: readonly number[]): Model {
  const net = new Net('regnetx-200mf');
  let x = net.conv(net.b.input('x', DataType.FLOAT, [...input]), 3, 32, 3, 2);
  let cin = 32;
  for (const [width, depth] of [[24, 1], [56, 1], [152, 4], [368, 7]] as const) {
    for (let i = 0; i < depth; i++) {
      const stride = i === 0 ? 2 : 1;
      let y = net.conv(x, cin, width, 1);
      y = net.conv(y, width, width, 3, stride, width / 8);
      y = net.conv(y, width, width, 1, 1, 1, undefined);
      const skip = stride !== 1 || cin !== width ? net.conv(x, cin, width, 1, stride, 1, undefined) : x;
      x = net.b.op('Relu', [net.b.op('Add', [y, skip])]);
      cin = width;
    }
  }
  return net.head(x, cin, 1000);
}
