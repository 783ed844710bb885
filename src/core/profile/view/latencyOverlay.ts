import type { NamedOverlay } from '../../graphview/overlays';
import type { TargetProfile } from '../result';

/** Overlay id of the graph view for one target: `latency.<soc>`, in the graph's id alphabet. */
export function latencyOverlayId(target: string): string {
  return `latency.${target.replace(/[^\w.-]/g, '-')}`.slice(0, 64);
}

/**
 * The graph view's latency overlay of one profiled target: the estimated time of each kernel
 * by node name. A fused kernel's time is given to every node in it (the graph colours the
 * whole kernel), and the label says the values are per kernel.
 */
export function latencyOverlay(row: Pick<TargetProfile, 'target' | 'layers'>): NamedOverlay {
  return {
    id: latencyOverlayId(row.target),
    label: `Estimated latency on ${row.target} (ms per kernel)`,
    unit: 'ms',
    scale: 'log',
    values: row.layers.flatMap((l): Array<[string, number]> => [l.node, ...(l.fusedWith ?? [])].map((n) => [n, l.ms])),
  };
}
