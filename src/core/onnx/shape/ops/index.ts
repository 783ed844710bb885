import type { OpHandler, OpTable } from '../context';
import { controlOps } from './control';
import { convOps, msConvOps } from './conv';
import { elementwiseOps } from './elementwise';
import { extraOps, msExtraOps } from './extra';
import { matmulOps, msMatmulOps } from './matmul';
import { msMiscOps } from './microsoft';
import { msNormOps, normOps } from './norm';
import { msQuantOps, quantOps } from './quant';
import { reduceOps } from './reduce';
import { rnnOps } from './rnn';
import { sequenceOps } from './sequence';
import { signalOps } from './signal';
import { tensorOps } from './tensor';
import { ownValue } from '../../../safeRecord';

const onnxOps: OpTable = { ...elementwiseOps, ...convOps, ...matmulOps, ...tensorOps, ...reduceOps, ...normOps, ...rnnOps, ...quantOps, ...controlOps, ...sequenceOps, ...signalOps, ...extraOps };
const microsoftOps: OpTable = { ...msConvOps, ...msMatmulOps, ...msNormOps, ...msQuantOps, ...msMiscOps, ...msExtraOps };

/** The shape handler of an operator, by domain ('' and 'ai.onnx' are the standard domain). */
export function opHandler(domain: string, opType: string): OpHandler | undefined {
  // onnxruntime registers a few contrib ops (e.g. SimplifiedLayerNormalization) in the default domain.
  if (domain === '' || domain === 'ai.onnx') return ownValue(onnxOps, opType) ?? ownValue(microsoftOps, opType);
  if (domain === 'com.microsoft') return ownValue(microsoftOps, opType) ?? ownValue(onnxOps, opType);
  return undefined;
}

/** Operator types with a shape handler, for documentation and tests. */
export function supportedOps(): { onnx: string[]; microsoft: string[] } {
  return { onnx: Object.keys(onnxOps).sort(), microsoft: Object.keys(microsoftOps).sort() };
}
