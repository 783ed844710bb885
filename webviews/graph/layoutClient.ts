import type { GraphModel, VisibleEdge } from './graphModel';
import { PendingRequests } from '../../src/shared/pendingRequests';
import type { JobResult, LayoutItem, LayoutJob, LayoutRequest, LayoutResponse } from './layoutProtocol';
import { quickLayout } from './quickLayout';

/** Up to this many items, a graph's first placement is computed in the page (linear time) instead of waiting for the worker to start. */
const maxItemsPlacedInPage = 5000;

export const groupPad = 12;
export const groupHeader = 22;

interface CachedLayout extends JobResult {
  readonly phase: 'quick' | 'final';
  readonly items: readonly number[];
  /** "from,to" of sibling items → routed points (box-relative). */
  readonly routes: ReadonlyMap<string, Float64Array>;
}

/** World-space boxes (top-left, size) of every visible item and open group. */
export interface Placement {
  readonly x: Float64Array;
  readonly y: Float64Array;
  readonly w: Float64Array;
  readonly h: Float64Array;
  readonly width: number;
  readonly height: number;
}

/**
 * Keeps one layout per open group, asks the worker for the missing or provisional ones,
 * and places everything in world coordinates. The UI thread runs no dagre layout; only a
 * small graph's very first quick placement is made in the page, so the first frame does not
 * wait for the worker to compile its bundle.
 */
export class LayoutClient {
  private readonly cache = new Map<number, CachedLayout>();
  /** The one layout in flight: a newer request supersedes it; a quick answer arrives as progress before the final one. */
  private readonly requests: PendingRequests<LayoutResponse, LayoutResponse>;
  private inFlight: number | undefined;
  placement: Placement | undefined;
  /** 'idle' once every open group has its final layout. */
  state: 'idle' | 'quick' | 'pending' = 'pending';

  constructor(
    private readonly model: GraphModel,
    private readonly worker: Worker,
    /** Request ids unique across every client sharing the worker. */
    nextRequestId: () => number,
    private readonly size: (item: number) => { w: number; h: number },
    private readonly onPlaced: (phase: 'quick' | 'final') => void,
  ) {
    this.requests = new PendingRequests({ nextId: nextRequestId });
  }

  invalidateAll(): void {
    this.cache.clear();
  }

  /** Forgets the layouts of a group and of every group containing it. */
  invalidate(group: number): void {
    for (let g = group; g >= 0; g = this.model.graph.groups[g]!.parent) this.cache.delete(g);
  }

  /** Requests layouts for open groups that lack a final one; returns false when nothing was missing. */
  update(): boolean {
    const open = this.model.openGroups();
    const todo = open.filter((g) => this.cache.get(g)?.phase !== 'final');
    if (todo.length === 0) {
      this.place();
      this.state = 'idle';
      this.onPlaced('final');
      return false;
    }
    const todoSet = new Set(todo);
    const jobIndex = new Map<number, number>();
    const jobs: LayoutJob[] = [];
    const jobItems: number[][] = [];
    const edgesByGroup = new Map<number, Map<string, [number, number]>>();
    const positions = new Map<number, Map<number, number>>();
    // Bottom-up: open groups come parents first, so walk them backwards.
    for (let k = todo.length - 1; k >= 0; k--) {
      const g = todo[k]!;
      const items = this.model.children[g]!;
      const index = new Map<number, number>();
      const layoutItems: LayoutItem[] = items.map((item, i) => {
        index.set(item, i);
        if (this.model.isGroup(item)) {
          const child = item - this.model.nodeCount;
          if (this.model.expanded[child]) {
            const job = jobIndex.get(child);
            if (job !== undefined) return { id: item, job };
            const cached = this.cache.get(child);
            if (cached) return { id: item, w: cached.w, h: cached.h };
          }
        }
        return { id: item, ...this.size(item) };
      });
      positions.set(g, index);
      edgesByGroup.set(g, new Map());
      jobIndex.set(g, jobs.length);
      jobs.push({ group: g, items: layoutItems, edges: [], pad: groupPad, header: g === 0 ? 0 : groupHeader });
      jobItems.push(items);
    }
    for (const edge of this.model.visibleEdges()) {
      const [g, a, b] = this.model.siblingPair(edge.from, edge.to);
      if (!todoSet.has(g) || a === b) continue;
      const index = positions.get(g)!;
      edgesByGroup.get(g)!.set(`${a},${b}`, [index.get(a)!, index.get(b)!]);
    }
    for (let k = 0; k < jobs.length; k++) {
      const job = jobs[k]!;
      jobs[k] = { ...job, edges: [...edgesByGroup.get(job.group)!.values()] };
    }
    if (this.inFlight !== undefined) this.requests.cancel(this.inFlight);
    this.state = 'pending';
    const apply = (response: LayoutResponse) => this.apply(response, jobs, jobItems);
    if (this.cache.size === 0 && jobs.reduce((n, job) => n + job.items.length, 0) <= maxItemsPlacedInPage) {
      const results: JobResult[] = [];
      for (const job of jobs) results.push(quickLayout(job, results));
      performance.mark('aios-graph:placed-in-page');
      apply({ requestId: -1, phase: 'quick', results, ms: 0 });
    }
    this.requests
      .request(
        (requestId) => {
          this.inFlight = requestId;
          this.worker.postMessage({ requestId, jobs } satisfies LayoutRequest);
        },
        { onProgress: apply },
      )
      .then(apply, () => undefined);
    return true;
  }

  /** Feed a worker response; stale ones (superseded requests) are ignored. */
  accept(response: LayoutResponse): void {
    if (response.phase === 'final') {
      if (this.requests.resolve(response.requestId, response) && this.inFlight === response.requestId) this.inFlight = undefined;
    } else this.requests.progress(response.requestId, response);
  }

  private apply(response: LayoutResponse, jobs: readonly LayoutJob[], jobItems: readonly number[][]): void {
    response.results.forEach((result, k) => {
      const job = jobs[k]!;
      const items = jobItems[k]!;
      const routes = new Map<string, Float64Array>();
      job.edges.forEach(([a, b], e) => {
        const points = result.edgePoints[e];
        if (points && points.length > 0) routes.set(`${items[a]},${items[b]}`, points);
      });
      this.cache.set(result.group, { ...result, phase: response.phase, items, routes });
    });
    this.place();
    this.state = response.phase === 'final' ? 'idle' : 'quick';
    this.onPlaced(response.phase);
  }

  private place(): void {
    const total = this.model.nodeCount + this.model.groupCount;
    const x = new Float64Array(total);
    const y = new Float64Array(total);
    const w = new Float64Array(total);
    const h = new Float64Array(total);
    const root = this.cache.get(0);
    if (!root) return;
    const rootItem = this.model.nodeCount;
    w[rootItem] = root.w;
    h[rootItem] = root.h;
    for (const g of this.model.openGroups()) {
      const layout = this.cache.get(g);
      if (!layout) continue;
      const gx = x[this.model.nodeCount + g]!;
      const gy = y[this.model.nodeCount + g]!;
      layout.items.forEach((item, i) => {
        const child = item - this.model.nodeCount;
        const cached = this.model.isGroup(item) && this.model.expanded[child] ? this.cache.get(child) : undefined;
        const size = cached ? { w: cached.w, h: cached.h } : this.size(item);
        x[item] = gx + layout.x[i]! - size.w / 2;
        y[item] = gy + layout.y[i]! - size.h / 2;
        w[item] = size.w;
        h[item] = size.h;
      });
    }
    this.placement = { x, y, w, h, width: root.w, height: root.h };
  }

  /** Absolute routed points for an edge between siblings, when the layout routed it. */
  route(edge: VisibleEdge): Float64Array | undefined {
    const [g, a, b] = this.model.siblingPair(edge.from, edge.to);
    if (a !== edge.from || b !== edge.to) return undefined;
    const layout = this.cache.get(g);
    const points = layout?.routes.get(`${a},${b}`);
    if (!points || !this.placement) return undefined;
    const ox = this.placement.x[this.model.nodeCount + g]!;
    const oy = this.placement.y[this.model.nodeCount + g]!;
    const abs = new Float64Array(points.length);
    for (let k = 0; k < points.length; k += 2) {
      abs[k] = points[k]! + ox;
      abs[k + 1] = points[k + 1]! + oy;
    }
    return abs;
  }
}
