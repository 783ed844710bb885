import type { SourceInput } from '../schema';

/** Helpers to write catalog data compactly; the data stays in the `*.soc.yaml` input shape. */

export function datasheet(ref: string, note?: string): SourceInput {
  return note ? { kind: 'datasheet', ref, note } : { kind: 'datasheet', ref };
}

export function estimate(note: string): SourceInput {
  return { kind: 'estimate', note };
}

export function measurement(ref: string, note?: string): SourceInput {
  return note ? { kind: 'measurement', ref, note } : { kind: 'measurement', ref };
}

/** A figure a public document states: its address and what it says there. */
export function published(url: string, says: string): SourceInput {
  return { kind: 'datasheet', ref: url, note: `${says}; ${vendorNote}` };
}

/** A vendor figure that is widely quoted but that no public vendor document we could check states: kept, marked estimate. */
export function unverified(figure: string): SourceInput {
  return estimate(`${figure}; not found in a public vendor document we could check, so marked estimate`);
}

export function fig(value: string, source: SourceInput): { value: string; source: SourceInput } {
  return { value, source };
}

/** Op types automotive NPUs and DSP matrix engines typically run natively (vendor SDK op lists). */
export const acceleratorOps = [
  'Conv', 'ConvTranspose', 'MatMul', 'Gemm', 'Relu', 'Clip', 'LeakyRelu', 'PRelu', 'Sigmoid', 'HardSigmoid', 'HardSwish',
  'Tanh', 'Add', 'Sub', 'Mul', 'Div', 'Concat', 'Split', 'Slice', 'MaxPool', 'AveragePool', 'GlobalAveragePool',
  'Resize', 'Reshape', 'Transpose', 'Flatten', 'Squeeze', 'Unsqueeze', 'Softmax', 'BatchNormalization', 'Pad',
  'QuantizeLinear', 'DequantizeLinear', 'QLinearConv', 'QLinearMatMul',
];

export const commonFusions = [
  ['Conv', 'Relu'],
  ['Conv', 'Clip'],
  ['Conv', 'BatchNormalization', 'Relu'],
  ['Conv', 'Add', 'Relu'],
  ['MatMul', 'Add'],
  ['Gemm', 'Relu'],
];

export const vendorNote = 'figure as publicly stated by the vendor; check the current datasheet before relying on it';
