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
