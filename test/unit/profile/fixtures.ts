import { ModelBuilder } from '../../../src/core/onnx/builder';
import * as attr from '../../../src/core/onnx/builder/attributes';
import { DataType, type Model } from '../../../src/core/onnx/model';
import { analyseModel } from '../../../src/core/profile/profileRun';
import type { AnalysedModel } from '../../../src/core/profile/estimate';
import { socSchema, type SocTarget, type SocTargetInput } from '../../../src/core/soc/schema';

const est = (note: string) => ({ kind: 'estimate' as const, note });

/** A two-engine test SoC: `npu` (int8, the ops given) and `cpu` (fp32), round figures. */
export function testSoc(overrides: { npuOps?: string[]; fusions?: string[][]; npuInt8?: string; sram?: string; dramBw?: string; invocation?: string } = {}): SocTarget {
  const input: SocTargetInput = {
    apiVersion: 'aios/v1',
    kind: 'SocTarget',
    id: 'test-soc',
    name: 'Test SoC',
    vendor: 'test',
    engines: [
      {
        id: 'npu',
        kind: 'npu',
        precisions: { int8: { peak: { value: overrides.npuInt8 ?? '10TOPS', source: est('test') } } },
        ...(overrides.npuOps ? { ops: overrides.npuOps } : {}),
        fusions: overrides.fusions ?? [['Conv', 'Relu']],
        overhead: { value: '1us', source: est('test') },
      },
      {
        id: 'cpu',
        kind: 'cpu',
        precisions: { fp32: { peak: { value: '100GFLOPS', source: est('test') } } },
        overhead: { value: '1us', source: est('test') },
      },
    ],
    memories: [
      { id: 'sram', kind: 'sram', size: { value: overrides.sram ?? '1KiB', source: est('test') }, bandwidth: { value: '100GB/s', source: est('test') } },
      { id: 'dram', kind: 'dram', size: { value: '1GB', source: est('test') }, bandwidth: { value: overrides.dramBw ?? '10GB/s', source: est('test') } },
    ],
    power: {
      static: { value: '1W', source: est('test') },
      sustained: { value: '10W', source: est('test') },
      energyPerOp: { int8: { value: '1pJ', source: est('test') }, fp32: { value: '10pJ', source: est('test') } },
    },
    links: [{ from: 'npu', to: 'cpu', bandwidth: { value: '1GB/s', source: est('test') }, latency: { value: '10us', source: est('test') } }],
    ...(overrides.invocation ? { invocationOverhead: { value: overrides.invocation, source: est('test') } } : {}),
  };
  return socSchema.parse(input);
}

/** x[1,16,32,32] -> Conv 3x3 (32 out) -> Relu -> then `tail` ops (each unary), named /conv, /relu, /t0... */
export function convModel(tail: string[] = [], options: { extraReader?: boolean } = {}): Model {
  const b = new ModelBuilder({ name: 'conv', seed: 1 });
  const x = b.input('x', DataType.FLOAT, [1, 16, 32, 32]);
  const w = b.weight('w', [32, 16, 3, 3], 0.1);
  const c = b.op('Conv', [x, w], { pads: attr.ints([1, 1, 1, 1]) }, '/conv');
  let y = b.op('Relu', [c], undefined, '/relu');
  if (options.extraReader) y = b.op('Add', [y, c], undefined, '/add');
  tail.forEach((op, i) => {
    y = b.op(op, [y], op === 'Softmax' ? { axis: attr.int(1) } : undefined, `/t${i}`);
  });
  b.output(y, DataType.FLOAT);
  return b.buildModel();
}

export async function analysed(model: Model): Promise<AnalysedModel> {
  return analyseModel(model, {});
}
