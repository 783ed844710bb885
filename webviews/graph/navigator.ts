import { fromColumns } from '../../src/protocol/graphRows';
import type { NodeRef } from '../../src/protocol/graphMessages';
import { visibleText } from '../shared/displayText';
import type { CanvasView } from './canvasView';
import type { Camera } from './renderer';
import { GraphModel } from './graphModel';
import { LayoutClient } from './layoutClient';
import type { ViewState } from './viewState';
import { nodeHeader, weightRowHeight } from './weightRows';

const initialBudget = 300;

/** A view saved earlier: the groups to open (scope paths) and the camera to use instead of fitting. */
export interface SavedView {
  readonly expanded: ReadonlySet<string>;
  readonly camera: Camera;
}

/** What opening a graph or changing its groups must refresh elsewhere in the view. */
export interface NavigatorHooks {
  /** A graph was opened: refill pickers, crumbs, overview and search for it. */
  opened(): void;
  /** Visible items changed (groups opened or closed): search hits follow. */
  visibleChanged(): void;
  select(item: number): void;
  updateStatus(): void;
  showError(message: string): void;
  hideError(): void;
  openedSubgraph(graph: number, node: string, attribute: string): void;
}

/**
 * Which graph is open, which groups are expanded, and keeping the camera steady while the
 * layout worker answers: an expanded group stays under the pointer, a revealed node is centred.
 */
export class GraphNavigator {
  private anchor: { item: number; sx: number; sy: number } | undefined;
  private pendingFocus: number | undefined;
  private fitPending = true;
  /** A saved camera to apply at the first placement instead of fitting. */
  private pendingCamera: Camera | undefined;
  private nextLayoutId = 1;

  constructor(
    private readonly state: ViewState,
    private readonly view: CanvasView,
    private readonly worker: Worker,
    private readonly hooks: NavigatorHooks,
  ) {}

  /**
   * Opens a graph with its initial groups expanded and fitted; `keepExpanded` reopens the graph
   * shown (e.g. with weight nodes toggled) with the same groups open; `restore` as saved.
   */
  openGraph(index: number, how: { readonly keepExpanded?: boolean; readonly restore?: SavedView } = {}): void {
    const payload = this.state.payload!;
    const rows = (this.state.rows[index] ??= fromColumns(payload.graphs[index]!));
    performance.mark('aios-graph:rows');
    const model = new GraphModel(rows, this.state.showWeights);
    const restore = how.restore;
    if (restore) {
      rows.groups.forEach((g, i) => {
        if (i > 0 && restore.expanded.has(g.path)) model.expanded[i] = 1;
      });
    } else if (how.keepExpanded && this.state.session?.index === index) model.expanded.set(this.state.session.model.expanded);
    else model.expandInitially(initialBudget);
    model.refresh();
    performance.mark('aios-graph:model');
    const layout = new LayoutClient(model, this.worker, () => this.nextLayoutId++, (item) => itemSize(model, item), (phase) => this.placed(phase));
    if (this.state.session?.index !== index) {
      // Item numbers of the graph left behind mean other nodes here.
      this.pendingFocus = undefined;
      this.anchor = undefined;
    }
    this.state.session = { index, model, layout, items: new Int32Array(0), edges: [] };
    this.state.selected = -1;
    this.fitPending = !restore;
    this.pendingCamera = restore?.camera;
    this.state.layoutDoneAt = undefined;
    this.refreshVisible();
    this.hooks.opened();
    performance.mark('aios-graph:visible');
    layout.update();
    performance.mark('aios-graph:layout-requested');
    this.hooks.updateStatus();
  }

  /** Shows folded weight nodes as nodes again, or folds them back into their consumers. */
  setShowWeights(show: boolean): void {
    const s = this.state.session;
    this.state.showWeights = show;
    if (!s) return;
    const selected = this.state.selected;
    this.openGraph(s.index, { keepExpanded: true });
    if (selected >= 0 && selected < s.model.nodeCount && !this.state.session!.model.isHiddenWeight(selected)) this.hooks.select(selected);
  }

  openSubgraph(graph: number, node: number, attribute: string): void {
    const s = this.state.session;
    if (!this.state.payload || !s) return;
    this.state.trail.push(s.index);
    this.hooks.openedSubgraph(graph, s.model.graph.nodes[node]?.name ?? '', attribute);
    this.openGraph(graph);
  }

  back(): void {
    const previous = this.state.trail.pop();
    if (previous === undefined) return;
    const from = this.state.payload!.graphs[this.state.session!.index]!.owner;
    this.openGraph(previous);
    if (from) this.focusNode(from.node);
  }

  toggleGroup(group: number): void {
    const s = this.state.session!;
    const item = s.model.nodeCount + group;
    const p = s.layout.placement;
    if (p) {
      const at = this.view.renderer.toScreen(p.x[item]!, p.y[item]!);
      this.anchor = { item, sx: at.x, sy: at.y };
    }
    s.model.expanded[group] = s.model.expanded[group] ? 0 : 1;
    s.model.refresh();
    s.layout.invalidate(group);
    this.relayout();
  }

  /** `*` opens every group (the layout worker places them all; the UI stays responsive), `_` closes them. */
  setAllExpanded(open: boolean): void {
    const s = this.state.session!;
    s.model.expanded.fill(open ? 1 : 0);
    s.model.expanded[0] = 1;
    s.model.refresh();
    s.layout.invalidateAll();
    this.fitPending = true;
    this.relayout();
  }

  /** Expands every collapsed group around a node, then selects and centres it. */
  focusNode(node: number): void {
    const s = this.state.session!;
    let changed = false;
    for (const g of s.model.ancestors(node)) {
      if (!s.model.expanded[g]) {
        s.model.expanded[g] = 1;
        s.layout.invalidate(g);
        changed = true;
      }
    }
    this.hooks.select(node);
    if (changed) {
      s.model.refresh();
      this.refreshVisible();
      this.hooks.visibleChanged();
      this.pendingFocus = node;
      this.state.layoutDoneAt = undefined;
      s.layout.update();
    } else if (!s.layout.placement || s.layout.state !== 'idle') {
      // Not placed yet (a graph just opened): centre once the layout arrives.
      this.pendingFocus = node;
    } else {
      this.view.centerOnItem(node);
      this.view.requestFrame();
    }
  }

  reveal(target: NodeRef): void {
    const payload = this.state.payload;
    if (!payload) return;
    const graphIndex = target.graph === undefined ? 0 : payload.graphs.findIndex((g) => g.id === target.graph);
    if (graphIndex < 0) {
      this.hooks.showError(`There is no graph ${JSON.stringify(visibleText(target.graph ?? ''))} in this model.`);
      return;
    }
    const graph = (this.state.rows[graphIndex] ??= fromColumns(payload.graphs[graphIndex]!));
    let node = graph.nodes.findIndex((n) => n.name === target.node);
    if (node < 0) node = graph.tensors.find((t) => t.name === target.node)?.producer ?? -1;
    if (node < 0) {
      this.hooks.showError(`There is no node or tensor named ${JSON.stringify(visibleText(target.node))} in ${visibleText(graph.title)}.`);
      return;
    }
    this.hooks.hideError();
    if (this.state.session?.index !== graphIndex) {
      this.state.trail.length = 0;
      this.openGraph(graphIndex);
    }
    this.focusNode(node);
  }

  /** Scope paths of the expanded groups of the open graph. */
  expandedPaths(): string[] {
    const s = this.state.session;
    if (!s) return [];
    const paths: string[] = [];
    s.model.graph.groups.forEach((g, i) => {
      if (i > 0 && s.model.expanded[i]) paths.push(g.path);
    });
    return paths;
  }

  /** The stage was resized: a graph not yet fitted by the user is fitted again. */
  resized(): void {
    const placement = this.state.session?.layout.placement;
    if (placement && this.fitPending) this.view.renderer.fit(placement, true);
  }

  /**
   * When the whole graph does not fit at a readable zoom, the first screen shows where the
   * data enters: the first graph input at the top, centred across.
   */
  private showStart(): void {
    const s = this.state.session!;
    const p = s.layout.placement!;
    const renderer = this.view.renderer;
    const { width } = renderer.viewSize;
    if (p.width * renderer.camera.scale <= width) return;
    const input = s.model.graph.nodes.findIndex((n) => n.kind === 'input');
    if (input < 0) return;
    const item = s.model.representative(input);
    if (!(p.w[item]! > 0)) return;
    const scale = renderer.camera.scale;
    renderer.camera.tx = width / 2 - (p.x[item]! + p.w[item]! / 2) * scale;
    renderer.camera.ty = 24 - p.y[item]! * scale;
  }

  private relayout(): void {
    const s = this.state.session!;
    this.refreshVisible();
    this.hooks.visibleChanged();
    this.state.layoutDoneAt = undefined;
    s.layout.update();
    this.hooks.updateStatus();
  }

  private refreshVisible(): void {
    const s = this.state.session!;
    const items: number[] = [];
    const total = s.model.nodeCount + s.model.groupCount;
    for (let item = 0; item < total; item++) {
      if (s.model.isGroup(item)) {
        const g = item - s.model.nodeCount;
        if (g > 0 && s.model.isItemVisible(item) && !s.model.expanded[g]) items.push(item);
      } else if (s.model.isItemVisible(item)) items.push(item);
    }
    s.items = Int32Array.from(items);
    s.edges = s.model.visibleEdges();
    this.view.invalidateMinimap();
  }

  private placed(phase: 'quick' | 'final'): void {
    performance.mark(`aios-graph:placed-${phase}`);
    const s = this.state.session;
    if (!s?.layout.placement) return;
    const renderer = this.view.renderer;
    if (phase === 'final' && s.layout.state === 'idle' && this.state.layoutDoneAt === undefined) this.state.layoutDoneAt = performance.now();
    if (this.fitPending) {
      renderer.fit(s.layout.placement, true);
      this.showStart();
      if (phase === 'final') this.fitPending = false;
    }
    if (this.pendingCamera) {
      Object.assign(renderer.camera, this.pendingCamera);
      this.pendingCamera = undefined;
    }
    if (this.anchor) {
      const p = s.layout.placement;
      const a = this.anchor;
      const now = renderer.toScreen(p.x[a.item]!, p.y[a.item]!);
      renderer.camera.tx += a.sx - now.x;
      renderer.camera.ty += a.sy - now.y;
      if (phase === 'final') this.anchor = undefined;
    }
    if (this.pendingFocus !== undefined) {
      const item = this.pendingFocus;
      this.view.centerOnItem(item);
      if (phase === 'final') this.pendingFocus = undefined;
    }
    this.view.invalidateMinimap();
    this.view.requestFrame();
  }
}

/** Box size of a node or collapsed group, from its label lengths. */
function itemSize(model: GraphModel, item: number): { w: number; h: number } {
  if (model.isGroup(item)) {
    const g = model.graph.groups[item - model.nodeCount]!;
    return { w: clamp(Math.max(g.name.length * 7.4 + 24, 90), 90, 260), h: 44 };
  }
  const n = model.graph.nodes[item]!;
  if (n.kind !== 'op') return { w: clamp(n.name.length * 7.4 + 22, 70, 240), h: 28 };
  const shortName = n.name.slice(n.name.lastIndexOf('/') + 1);
  const rows = model.weightRows(item);
  const rowChars = rows.reduce((m, r) => Math.max(m, r.label.length + r.text.length + 1), 0);
  const w = clamp(Math.max(n.op.length * 7.6, Math.min(shortName.length, 30) * 6.2, Math.min(rowChars, 36) * 5.8) + 24, 72, 230);
  return { w, h: nodeHeader + (rows.length > 0 ? rows.length * weightRowHeight + 4 : 0) };
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, v));
}
