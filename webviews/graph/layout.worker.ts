import dagre from '@dagrejs/dagre';
import type { JobResult, LayoutJob, LayoutRequest, LayoutResponse } from './layoutProtocol';
import { boxed, nodeSep, quickLayout, rankSep, sizesOf } from './quickLayout';

/**
 * Layout worker: lays out each expanded group's direct children, bottom-up, first with a
 * linear-time layered placement (so the UI can draw at once) and then with dagre.
 */

function dagreLayout(job: LayoutJob, done: readonly JobResult[]): JobResult {
  const sizes = sizesOf(job, done);
  const g = new dagre.graphlib.Graph({ multigraph: false });
  g.setGraph({ rankdir: 'TB', nodesep: nodeSep, ranksep: rankSep, edgesep: 8, marginx: 0, marginy: 0 });
  g.setDefaultEdgeLabel(() => ({}));
  sizes.forEach((s, i) => g.setNode(String(i), { width: s.w, height: s.h }));
  const edgeKeys: Array<[string, string]> = [];
  for (const [a, b] of job.edges) {
    if (a === b) continue;
    g.setEdge(String(a), String(b));
    edgeKeys.push([String(a), String(b)]);
  }
  dagre.layout(g);
  const n = sizes.length;
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (let i = 0; i < n; i++) {
    const node = g.node(String(i));
    x[i] = node.x ?? 0;
    y[i] = node.y ?? 0;
    minX = Math.min(minX, x[i]! - sizes[i]!.w / 2);
    maxX = Math.max(maxX, x[i]! + sizes[i]!.w / 2);
    minY = Math.min(minY, y[i]! - sizes[i]!.h / 2);
    maxY = Math.max(maxY, y[i]! + sizes[i]!.h / 2);
  }
  if (n === 0) minX = minY = maxX = maxY = 0;
  for (let i = 0; i < n; i++) {
    x[i] = x[i]! - minX;
    y[i] = y[i]! - minY;
  }
  const edgePoints = job.edges.map(([a, b]) => {
    if (a === b) return new Float64Array(0);
    const e = g.edge(String(a), String(b));
    const points: ReadonlyArray<{ x: number; y: number }> = (e as { points?: Array<{ x: number; y: number }> } | undefined)?.points ?? [];
    const flat = new Float64Array(points.length * 2);
    points.forEach((p, k) => {
      flat[2 * k] = p.x - minX;
      flat[2 * k + 1] = p.y - minY;
    });
    return flat;
  });
  return boxed(job, x, y, maxX - minX, maxY - minY, edgePoints);
}

function run(request: LayoutRequest, phase: 'quick' | 'final'): LayoutResponse {
  const started = performance.now();
  const results: JobResult[] = [];
  for (const job of request.jobs) results.push(phase === 'quick' ? quickLayout(job, results) : dagreLayout(job, results));
  return { requestId: request.requestId, phase, results, ms: performance.now() - started };
}

let latest = -1;

self.onmessage = (event: MessageEvent<LayoutRequest>) => {
  const request = event.data;
  latest = request.requestId;
  const quick = run(request, 'quick');
  postMessage(quick);
  // A newer request that arrived meanwhile makes this dagre pass pointless.
  setTimeout(() => {
    if (latest !== request.requestId) return;
    try {
      postMessage(run(request, 'final'));
    } catch (error) {
      postMessage({ requestId: request.requestId, phase: 'final', results: quick.results, ms: 0, error: String(error) });
    }
  }, 0);
};
