import type { JobResult, LayoutJob } from './layoutProtocol';

/**
 * The linear-time layered placement the view draws first (dagre refines it in the layout
 * worker). Shared by the worker and, for a graph's very first frame, the page itself: the
 * worker is still compiling its bundle then.
 */

export const rankSep = 44;
export const nodeSep = 18;

interface Sized {
  w: number;
  h: number;
}

export function sizesOf(job: LayoutJob, done: readonly JobResult[]): Sized[] {
  return job.items.map((item) => {
    if ('job' in item) {
      const r = done[item.job];
      return r ? { w: r.w, h: r.h } : { w: 120, h: 40 };
    }
    return { w: item.w, h: item.h };
  });
}

/** Longest-path layering (Kahn order; cycle members go last), rows centred. */
export function quickLayout(job: LayoutJob, done: readonly JobResult[]): JobResult {
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

/** Shifts content by padding and header; sizes the group box. */
export function boxed(job: LayoutJob, x: Float64Array, y: Float64Array, width: number, height: number, edgePoints: Float64Array[]): JobResult {
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

