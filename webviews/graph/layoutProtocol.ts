/** Messages between the graph app and its layout worker (same bundle family, never untrusted). */

/** A child to place: a box of known size, or the result of an earlier job (an expanded group). */
export type LayoutItem = { readonly id: number; readonly w: number; readonly h: number } | { readonly id: number; readonly job: number };

export interface LayoutJob {
  /** Group index in the current graph. */
  readonly group: number;
  readonly items: readonly LayoutItem[];
  /** Edges as [from, to] positions in `items`. */
  readonly edges: ReadonlyArray<readonly [number, number]>;
  /** Padding around the children and header height, in world units. */
  readonly pad: number;
  readonly header: number;
}

export interface LayoutRequest {
  readonly requestId: number;
  /** Jobs in dependency order: an item `{job: k}` refers to an earlier job. */
  readonly jobs: readonly LayoutJob[];
}

export interface JobResult {
  readonly group: number;
  /** Size of the group box, padding and header included. */
  readonly w: number;
  readonly h: number;
  /** Item centres relative to the group box's top-left corner, in `items` order. */
  readonly x: Float64Array;
  readonly y: Float64Array;
  /** Routed polyline per edge (flat x,y pairs, box-relative), empty when not routed. */
  readonly edgePoints: readonly Float64Array[];
}

export interface LayoutResponse {
  readonly requestId: number;
  /** `quick`: layered placement in linear time, sent first; `final`: dagre. */
  readonly phase: 'quick' | 'final';
  readonly results: readonly JobResult[];
  readonly ms: number;
}
