import type { Dim, Model } from '../onnx/model';

/** A KV-cache input of a decoder: [batch, heads, past length, head size]. */
export interface KvInput {
  readonly name: string;
  readonly heads: number;
  readonly headSize: number;
}

export interface DecoderInputs {
  readonly kv: readonly KvInput[];
  /** Rank-2 inputs sized by the tokens of this step (input_ids, position_ids). */
  readonly perStep: readonly string[];
  /** Rank-2 inputs sized by past + this step (attention_mask). */
  readonly perContext: readonly string[];
}

const fixed = (d: Dim | undefined) => (typeof d === 'number' && d > 0 ? d : undefined);

/**
 * The KV-cache inputs of a decoder LLM (`past_key_values.0.key`, `past.1.value`, `cache_k`...,
 * rank 4 with fixed heads and head size), or undefined when the model has none.
 */
export function decoderInputs(model: Model): DecoderInputs | undefined {
  const weights = new Set(model.graph.initializers.map((t) => t.name));
  const kv: KvInput[] = [];
  const perStep: string[] = [];
  const perContext: string[] = [];
  for (const input of model.graph.inputs) {
    if (weights.has(input.name) || input.type?.kind !== 'tensor') continue;
    const shape = input.type.shape ?? [];
    if (shape.length === 4 && /past|cache|kv/i.test(input.name)) {
      const heads = fixed(shape[1]);
      const headSize = fixed(shape[3]);
      if (heads !== undefined && headSize !== undefined) kv.push({ name: input.name, heads, headSize });
    } else if (shape.length === 2) (/mask/i.test(input.name) ? perContext : perStep).push(input.name);
  }
  return kv.length > 0 ? { kv, perStep, perContext } : undefined;
}

/** Input shapes for one step: `tokens` new tokens with `past` tokens already in the KV cache. */
export function stepShapes(inputs: DecoderInputs, tokens: number, past: number): Record<string, Dim[]> {
  const out: Record<string, Dim[]> = {};
  for (const kv of inputs.kv) out[kv.name] = [1, kv.heads, past, kv.headSize];
  for (const name of inputs.perStep) out[name] = [1, tokens];
  for (const name of inputs.perContext) out[name] = [1, past + tokens];
  return out;
}

/** KV-cache bytes per token of context: keys and values of every layer at `bytesPerElement`. */
export function kvBytesPerToken(inputs: DecoderInputs, bytesPerElement: number): number {
  return inputs.kv.reduce((s, kv) => s + kv.heads * kv.headSize * bytesPerElement, 0);
}

/** Context lengths the LLM figures are given for. */
export const llmContexts = [128, 512, 2048] as const;
