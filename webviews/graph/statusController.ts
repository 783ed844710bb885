import { el } from '../shared/dom';
import type { OverlayController } from './overlayController';
import type { Renderer } from './renderer';
import type { SearchController } from './searchController';
import type { ViewState } from './viewState';

/** The hidden status element tests and benchmarks read, the "laying out…" note and the error banner. */
export class StatusController {
  readonly element = el('div', { data: { role: 'status' } });
  readonly busy = el('div', { className: 'busy' });
  readonly errorBanner = el('div', { className: 'error-banner', data: { role: 'error' } });
  /** Whether the view state is saved with the host. */
  viewSaved: () => boolean = () => true;
  /** The op node nearest the centre of the view. */
  centreNode: () => string | null = () => null;

  constructor(
    private readonly state: ViewState,
    private readonly renderer: Renderer,
    private readonly overlays: OverlayController,
    private readonly search: SearchController,
  ) {
    this.element.id = 'graph-status';
    this.element.hidden = true;
    this.errorBanner.hidden = true;
  }

  showError(message: string): void {
    this.errorBanner.textContent = message;
    this.errorBanner.hidden = false;
  }

  hideError(): void {
    this.errorBanner.hidden = true;
  }

  /**
   * What the first screen shows, top to bottom (at most 40 items): `Input:<name>`, an op type,
   * or `group:<name>`; only items whose box lies wholly inside the canvas.
   */
  private onScreen(): string {
    const s = this.state.session;
    const p = s?.layout.placement;
    // Read by tests on small graphs; skipped where it would cost frame time.
    if (!s || !p || s.items.length > 3000) return '';
    const { width, height } = this.renderer.viewSize;
    const seen: Array<[number, string]> = [];
    for (const item of s.items) {
      if (!(p.w[item]! > 0)) continue;
      const a = this.renderer.toScreen(p.x[item]!, p.y[item]!);
      const b = this.renderer.toScreen(p.x[item]! + p.w[item]!, p.y[item]! + p.h[item]!);
      if (a.x < 0 || a.y < 0 || b.x > width || b.y > height) continue;
      const label = s.model.isGroup(item)
        ? `group:${s.model.graph.groups[item - s.model.nodeCount]!.name}`
        : s.model.graph.nodes[item]!.kind === 'input' ? `Input:${s.model.graph.nodes[item]!.name}` : s.model.graph.nodes[item]!.op;
      seen.push([a.y, label]);
    }
    return seen.sort((x, y) => x[0] - y[0]).slice(0, 40).map((e) => e[1]).join('|');
  }

  update(): void {
    const { state } = this;
    const d = this.element.dataset;
    const s = state.session;
    this.busy.textContent = s && s.layout.state !== 'idle' ? 'laying out…' : '';
    if (!s) {
      d.state = state.failed !== undefined ? 'failed' : state.payload ? 'loading' : 'waiting';
      return;
    }
    d.state = 'shown';
    d.graph = s.model.graph.id;
    d.mode = state.isDiff ? 'diff' : 'graph';
    d.totalNodes = String(s.model.graph.nodes.filter((n) => n.kind === 'op').length);
    d.visibleItems = String(s.items.length);
    d.drawn = String(this.renderer.lastDrawn);
    d.drawMs = state.lastDrawMs.toFixed(1);
    d.layout = s.layout.state === 'idle' ? 'final' : s.layout.state;
    d.overlay = this.overlays.id;
    d.searchCount = String(this.search.matchCount);
    d.theme = state.palette.kind;
    d.scale = this.renderer.camera.scale.toFixed(2);
    d.showWeights = String(state.showWeights);
    d.onScreen = this.onScreen();
    d.viewSaved = String(this.viewSaved());
    const camera = this.renderer.camera;
    // Read by tests on small graphs; a scan of every item is skipped on large ones.
    d.labels = String(this.renderer.labelBoxes.length);
    d.labelOverlaps = s.items.length > 3000 ? '' : String(overlappingPairs(this.renderer.labelBoxes));
    d.centre = s.items.length > 3000 ? '' : (this.centreNode() ?? '');
    d.camera = [camera.scale, camera.tx, camera.ty].map((v) => v.toFixed(3)).join(',');
    d.expandedGroups = String(s.model.expanded.reduce((n, e) => n + e, 0) - 1);
    if (state.firstFrameAt !== undefined) d.firstFrameMs = state.firstFrameAt.toFixed(1);
    if (state.layoutDoneAt !== undefined) d.layoutDoneMs = state.layoutDoneAt.toFixed(1);
    else delete d.layoutDoneMs;
    const sel = state.selected;
    if (sel >= 0 && s.layout.placement) {
      const p = s.layout.placement;
      const isGroup = s.model.isGroup(sel);
      d.selected = isGroup ? s.model.graph.groups[sel - s.model.nodeCount]!.path : s.model.graph.nodes[sel]!.name;
      d.selectedKind = isGroup ? 'group' : 'node';
      d.selectedOp = isGroup ? '' : s.model.graph.nodes[sel]!.op;
      d.selectedFill = this.overlays.fillOf(sel);
      d.selectedDiff = !isGroup && state.isDiff ? (state.payload!.diff!.status[sel] ?? 'same') : '';
      const a = this.renderer.toScreen(p.x[sel]!, p.y[sel]!);
      const canvasRect = this.renderer.canvas.getBoundingClientRect();
      const sc = this.renderer.camera.scale;
      d.selectedRect = [a.x + canvasRect.left, a.y + canvasRect.top, p.w[sel]! * sc, p.h[sel]! * sc].map((v) => v.toFixed(1)).join(',');
    } else {
      for (const k of ['selected', 'selectedKind', 'selectedOp', 'selectedFill', 'selectedDiff', 'selectedRect']) delete d[k];
    }
  }
}

/** Pairs of edge-label boxes that overlap (touching edges do not count). */
function overlappingPairs(boxes: ReadonlyArray<readonly [number, number, number, number]>): number {
  let pairs = 0;
  for (let i = 0; i < boxes.length; i++) {
    const [ax, ay, aw, ah] = boxes[i]!;
    for (let j = i + 1; j < boxes.length; j++) {
      const [bx, by, bw, bh] = boxes[j]!;
      if (ax < bx + bw && bx < ax + aw && ay < by + bh && by < ay + ah) pairs++;
    }
  }
  return pairs;
}
