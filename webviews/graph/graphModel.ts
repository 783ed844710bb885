import type { GraphRows } from '../../src/protocol/graphRows';
import { weightRows, type WeightRow } from './weightRows';

/** Weight rows drawn in one box at most; more are summarised in the last row. */
export const maxWeightRows = 5;

/**
 * Structure of one graph for drawing: items are nodes (0..N-1) and groups (N + g). Tracks
 * which groups are expanded and derives what is visible and which edges join visible items.
 */
export class GraphModel {
  readonly nodeCount: number;
  readonly groupCount: number;
  /** Direct children (item ids) of each group, in graph order. */
  readonly children: number[][];
  readonly groupDepth: Int32Array;
  /** Consumer nodes of each tensor. */
  readonly consumers: number[][];
  readonly expanded: Uint8Array;
  /** Nodes drawn below each group (folded weight nodes do not count while hidden). */
  readonly drawnSize: Int32Array;
  /** Outermost collapsed group containing each group, or -1 when all its ancestors and itself are expanded. */
  private hiddenBy: Int32Array;

  /**
   * `showWeights` false: folded weight nodes (Constant, Identity of an initializer, …) are not
   * drawn; their outputs appear as weight rows inside the consumer's box instead.
   */
  constructor(
    readonly graph: GraphRows,
    readonly showWeights = false,
  ) {
    this.nodeCount = graph.nodes.length;
    this.groupCount = graph.groups.length;
    this.children = Array.from({ length: this.groupCount }, () => []);
    this.groupDepth = new Int32Array(this.groupCount);
    // Children in first-appearance order: groups appear where their first node does.
    const groupSeen = new Uint8Array(this.groupCount);
    groupSeen[0] = 1;
    graph.nodes.forEach((node, i) => {
      const chain: number[] = [];
      for (let g = node.group; !groupSeen[g]; g = graph.groups[g]!.parent) chain.push(g);
      for (let k = chain.length - 1; k >= 0; k--) {
        const g = chain[k]!;
        groupSeen[g] = 1;
        this.children[graph.groups[g]!.parent]!.push(this.nodeCount + g);
      }
      if (showWeights || !node.folded) this.children[node.group]!.push(i);
    });
    for (let g = 1; g < this.groupCount; g++) this.groupDepth[g] = this.groupDepth[graph.groups[g]!.parent]! + 1;
    this.drawnSize = new Int32Array(this.groupCount);
    graph.nodes.forEach((node) => {
      if (!showWeights && node.folded) return;
      for (let g = node.group; g >= 0; g = g === 0 ? -1 : graph.groups[g]!.parent) this.drawnSize[g]!++;
    });
    this.consumers = Array.from({ length: graph.tensors.length }, () => []);
    graph.nodes.forEach((node, i) => {
      for (const t of node.inputs) if (t >= 0) this.consumers[t]!.push(i);
    });
    this.expanded = new Uint8Array(this.groupCount);
    this.expanded[0] = 1;
    this.hiddenBy = new Int32Array(this.groupCount);
    this.refresh();
  }

  isGroup(item: number): boolean {
    return item >= this.nodeCount;
  }

  /** Parent group index of an item. */
  parentOf(item: number): number {
    return item < this.nodeCount ? this.graph.nodes[item]!.group : this.graph.groups[item - this.nodeCount]!.parent;
  }

  /** Recomputes visibility after expand/collapse changes. */
  refresh(): void {
    const groups = this.graph.groups;
    this.hiddenBy[0] = -1;
    for (let g = 1; g < this.groupCount; g++) {
      const parentHidden = this.hiddenBy[groups[g]!.parent]!;
      this.hiddenBy[g] = parentHidden !== -1 ? parentHidden : this.expanded[g] ? -1 : g;
    }
  }

  /** The visible item standing for a node (itself, or its outermost collapsed group). */
  representative(node: number): number {
    const hidden = this.hiddenBy[this.graph.nodes[node]!.group]!;
    return hidden === -1 ? node : this.nodeCount + hidden;
  }

  /** Whether an expanded group's box is drawn (all ancestors expanded). */
  isOpen(group: number): boolean {
    return this.hiddenBy[group] === -1;
  }

  private readonly rowCache = new Map<number, readonly WeightRow[]>();

  /** Weight rows drawn inside a node's box (none while weight nodes are shown as nodes). */
  weightRows(node: number): readonly WeightRow[] {
    if (this.showWeights) return [];
    let rows = this.rowCache.get(node);
    if (!rows) {
      const all = weightRows(this.graph, node);
      rows = all.length > maxWeightRows ? [...all.slice(0, maxWeightRows - 1), { tensor: -1, label: `+${all.length - maxWeightRows + 1} more`, text: '' }] : all;
      this.rowCache.set(node, rows);
    }
    return rows;
  }

  /** A folded weight node while weight nodes are not shown. */
  isHiddenWeight(node: number): boolean {
    return !this.showWeights && this.graph.nodes[node]!.folded;
  }

  isItemVisible(item: number): boolean {
    if (item < this.nodeCount) return !this.isHiddenWeight(item) && this.representative(item) === item;
    const g = item - this.nodeCount;
    return g !== 0 && this.hiddenBy[this.graph.groups[g]!.parent] === -1;
  }

  /** Open groups (root first, parents before children). */
  openGroups(): number[] {
    const open: number[] = [];
    for (let g = 0; g < this.groupCount; g++) if (this.hiddenBy[g] === -1) open.push(g);
    return open;
  }

  /** Visible edges between representatives, with the tensors each carries. */
  visibleEdges(): VisibleEdge[] {
    const byKey = new Map<number, VisibleEdge>();
    const span = this.nodeCount + this.groupCount;
    this.graph.tensors.forEach((tensor, t) => {
      if (tensor.producer < 0 || this.isHiddenWeight(tensor.producer)) return;
      const from = this.representative(tensor.producer);
      for (const c of this.consumers[t]!) {
        const to = this.representative(c);
        if (from === to) continue;
        const key = from * span + to;
        const edge = byKey.get(key);
        if (edge) {
          if (edge.tensors[edge.tensors.length - 1] !== t) edge.tensors.push(t);
        } else byKey.set(key, { from, to, tensors: [t] });
      }
    });
    return [...byKey.values()];
  }

  /** Ancestor groups of an item, innermost first (root excluded). */
  ancestors(item: number): number[] {
    const out: number[] = [];
    for (let g = this.parentOf(item); g > 0; g = this.graph.groups[g]!.parent) out.push(g);
    return out;
  }

  /** The two children of the lowest common open group through which an edge passes. */
  siblingPair(a: number, b: number): [number, number, number] {
    let x = a;
    let y = b;
    const depthOf = (item: number) => this.groupDepth[this.parentOf(item)]!;
    while (this.parentOf(x) !== this.parentOf(y)) {
      if (depthOf(x) >= depthOf(y)) x = this.nodeCount + this.parentOf(x);
      else y = this.nodeCount + this.parentOf(y);
    }
    return [this.parentOf(x), x, y];
  }

  /**
   * Initial expansion: open the hierarchy level by level, groups holding a graph input first,
   * then smaller groups first, while at most
   * `budget` items are visible; groups above the budget stay collapsed until clicked.
   */
  expandInitially(budget: number): void {
    // Groups holding a graph input open first: the first screen shows where the data enters.
    const start = new Uint8Array(this.groupCount);
    this.graph.nodes.forEach((n) => {
      if (n.kind === 'input') for (let g = n.group; g > 0 && !start[g]; g = this.graph.groups[g]!.parent) start[g] = 1;
    });
    let visible = this.children[0]!.length;
    let level = this.children[0]!.filter((item) => this.isGroup(item)).map((item) => item - this.nodeCount);
    while (level.length > 0) {
      level.sort((a, b) => start[b]! - start[a]! || this.children[a]!.length - this.children[b]!.length);
      const next: number[] = [];
      let all = true;
      for (const g of level) {
        const grow = this.children[g]!.length - 1;
        if (visible + grow > budget) {
          all = false;
          break;
        }
        visible += grow;
        this.expanded[g] = 1;
        for (const item of this.children[g]!) if (this.isGroup(item)) next.push(item - this.nodeCount);
      }
      if (!all) break;
      level = next;
    }
    this.refresh();
  }
}

export interface VisibleEdge {
  readonly from: number;
  readonly to: number;
  readonly tensors: number[];
}
