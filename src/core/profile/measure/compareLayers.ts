import type { MeasuredLayer } from './attributeKernels';
import { spearman } from './statistics';

/** A layer of the estimate: the node it is named after and the nodes fused into it. */
export interface EstimatedLayerRef {
  readonly node: string;
  readonly ms: number;
  readonly fusedWith?: readonly string[];
}

export interface LayerComparison {
  readonly node: string;
  readonly estimatedMs: number;
  /** Undefined when onnxruntime ran no kernel for this layer's nodes (folded, fused away or eliminated). */
  readonly measuredMs: number | undefined;
}

export interface LayerComparisonResult {
  /** One per estimated layer, in the estimate's order. */
  readonly layers: readonly LayerComparison[];
  /** Spearman's rank correlation over the layers measured on both sides; undefined below 3 such layers. */
  readonly rankCorrelation: number | undefined;
  readonly comparedLayers: number;
}

/**
 * Pairs estimated and measured per-layer times. A measured kernel is counted for the estimated
 * layer holding its node or any node it covers (a Conv onnxruntime fused with its Relu counts
 * for the estimate's Conv+Relu layer); each kernel counts once.
 */
export function compareLayers(estimated: readonly EstimatedLayerRef[], measured: readonly MeasuredLayer[]): LayerComparisonResult {
  const layerOfNode = new Map<string, number>();
  estimated.forEach((l, i) => {
    for (const n of [l.node, ...(l.fusedWith ?? [])]) if (!layerOfNode.has(n)) layerOfNode.set(n, i);
  });
  const measuredMs = new Map<number, number>();
  for (const m of measured) {
    const target = [m.node, ...m.covers].map((n) => layerOfNode.get(n)).find((i) => i !== undefined);
    if (target === undefined) continue;
    measuredMs.set(target, (measuredMs.get(target) ?? 0) + m.ms);
  }
  const layers = estimated.map((l, i) => ({ node: l.node, estimatedMs: l.ms, measuredMs: measuredMs.get(i) }));
  const both = layers.filter((l): l is LayerComparison & { measuredMs: number } => l.measuredMs !== undefined);
  return {
    layers,
    rankCorrelation: spearman(
      both.map((l) => l.estimatedMs),
      both.map((l) => l.measuredMs),
    ),
    comparedLayers: both.length,
  };
}
