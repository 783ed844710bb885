import dagre from '@dagrejs/dagre';
import type { JobResult, LayoutJob, LayoutRequest, LayoutResponse } from './layoutProtocol';

/**
 * Layout worker: lays out each expanded group's direct children, bottom-up, first with a
 * linear-time layered placement (so the UI can draw at once) and then with dagre.
 */

const rankSep = 44;
const nodeSep = 18;

interface Sized {
  w: number;
  h: number;
}

function sizesOf(job: LayoutJob, done: readonly JobResult[]): Sized[] {
  return job.items.map((item) => {
    if ('job' in item) {
      const r = done[item.job];
      return r ? { w: r.w, h: r.h } : { w: 120, h: 40 };
    }
    return { w: item.w, h: item.h };
  });
}

/** Longest-path layering (Kahn order; cycle members go last), rows centred. */
function quickLayout(job: LayoutJob, done: readonly JobResult[]): JobResult {
  const sizes = sizesOf(job, done);
  const n = sizes.length;
  const indegree = new Int32Array(n);
  const out: number[][] = Array.from({ length: n }, () => []);
  for (const [a, b] of job.edges) {
    if (a === b) continue;
    out[a]!.push(b);
    indegree[b]!++;
  }
  const rank = new Int32Array(n);
  const hasInput = indegree.map((d) => (d > 0 ? 1 : 0));
  const queue: number[] = [];
  for (let i = 0; i < n; i++) if (indegree[i] === 0) queue.push(i);
  const seen = new Uint8Array(n);
  for (let head = 0; head < queue.length; head++) {
    const v = queue[head]!;
    seen[v] = 1;
    for (const w of out[v]!) {
      rank[w] = Math.max(rank[w]!, rank[v]! + 1);
      if (--indegree[w]! === 0) queue.push(w);
    }
  }
  // A source (a constant or weight node shown as a node) sits just above its first consumer
  // instead of in the top row: weights do not pull ranks or stretch edges over the graph.
  for (let i = 0; i < n; i++) {
    if (hasInput[i] || out[i]!.length === 0 || !seen[i]) continue;
    let first = Infinity;
    for (const w of out[i]!) first = Math.min(first, rank[w]!);
    if (first - 1 > rank[i]!) rank[i] = first - 1;
  }
  let maxRank = 0;
  for (let i = 0; i < n; i++) maxRank = Math.max(maxRank, rank[i]!);
  for (let i = 0; i < n; i++) if (!seen[i]) rank[i] = ++maxRank;

  const rows: number[][] = Array.from({ length: maxRank + 1 }, () => []);
  for (let i = 0; i < n; i++) rows[rank[i]!]!.push(i);
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  let width = 0;
  const rowWidths = rows.map((row) => row.reduce((s, i) => s + sizes[i]!.w, 0) + nodeSep * Math.max(0, row.length - 1));
  for (const w of rowWidths) width = Math.max(width, w);
  let top = 0;
  rows.forEach((row, r) => {
    const rowHeight = row.reduce((m, i) => Math.max(m, sizes[i]!.h), 0);
    let left = (width - rowWidths[r]!) / 2;
    for (const i of row) {
      x[i] = left + sizes[i]!.w / 2;
      y[i] = top + rowHeight / 2;
      left += sizes[i]!.w + nodeSep;
    }
    top += rowHeight + rankSep;
  });
  return boxed(job, x, y, width, Math.max(0, top - rankSep), []);
}

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

/** Shifts content by padding and header; sizes the group box. */
function boxed(job: LayoutJob, x: Float64Array, y: Float64Array, width: number, height: number, edgePoints: Float64Array[]): JobResult {
  for (let i = 0; i < x.length; i++) {
    x[i] = x[i]! + job.pad;
    y[i] = y[i]! + job.pad + job.header;
  }
  for (const points of edgePoints) {
    for (let k = 0; k < points.length; k += 2) {
      points[k] = points[k]! + job.pad;
      points[k + 1] = points[k + 1]! + job.pad + job.header;
    }
  }
  return { group: job.group, w: width + 2 * job.pad, h: height + 2 * job.pad + job.header, x, y, edgePoints };
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
