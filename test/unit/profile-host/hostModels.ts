/** Small models for the host-measurement tests, made with the project's ONNX builder. */
import { ModelBuilder, attr } from '../../../src/core/onnx/builder';
import { DataType, type Model } from '../../../src/core/onnx/model';

/** image -> [Conv -> BatchNormalization -> Relu] x2 -> GlobalAveragePool -> Flatten -> Gemm: what exporters give for a small CNN. */
export function smallCnn(side: number | string = 32): Model {
  const b = new ModelBuilder({ name: 'small-cnn', seed: 7 });
  let x = b.input('image', DataType.FLOAT, [1, 3, side, side]);
  let channels = 3;
  for (const [i, out] of [16, 32].entries()) {
    x = b.scope(`stage${i + 1}`, () => {
      const conv = b.op('Conv', [x, b.weight('w', [out, channels, 3, 3], 0.1), b.weight('b', [out], 0.01)], { pads: attr.ints([1, 1, 1, 1]) }, 'conv');
      const bn = b.op('BatchNormalization', [conv, b.weight('scale', [out], 0.1, 1), b.weight('bias', [out], 0.1), b.weight('mean', [out], 0.1), b.weight('var', [out], 0.05, 1)], {}, 'bn');
      return b.op('Relu', [bn], {}, 'relu');
    });
    channels = out;
  }
  const pooled = b.op('GlobalAveragePool', [x], {}, 'gap');
  const flat = b.op('Flatten', [pooled], {}, 'flatten');
  const logits = b.op('Gemm', [flat, b.weight('fc_w', [10, channels], 0.1), b.weight('fc_b', [10], 0.01)], { transB: attr.int(1) }, 'fc');
  b.output(logits, DataType.FLOAT, [1, 10], 'logits');
  return b.buildModel();
}

/** A model onnxruntime loads but cannot run: a Reshape to a shape of the wrong size. */
export function badReshape(): Model {
  const b = new ModelBuilder({ name: 'bad-reshape', seed: 1 });
  const x = b.input('x', DataType.FLOAT, [1, 6]);
  b.output(b.op('Reshape', [x, b.int64s('shape', [4, 4])], {}, 'reshape'), DataType.FLOAT);
  return b.buildModel();
}

/** A model onnxruntime cannot load: an op of a domain it does not know. */
export function unknownOp(): Model {
  const b = new ModelBuilder({ name: 'unknown-op', seed: 1 });
  b.opsetImport('com.example', 1);
  const x = b.input('x', DataType.FLOAT, [1, 4]);
  b.output(b.node('Mystery', [x], { domain: 'com.example' })[0]!, DataType.FLOAT);
  return b.buildModel();
}
