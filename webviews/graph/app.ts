import type { DiffStatus, GraphPayload, Overlay, WeightStats } from '../../src/protocol/graphPayload';
import { fromColumns, type GraphRows } from '../../src/protocol/graphRows';
import { hostToGraphViewSchema, parseMessage, type HostToGraphView, type NodeRef } from '../../src/protocol/graphMessages';
import type { Chart } from 'chart.js';
import { showGroupDetails, showModelDetails, showNodeDetails } from './details';
import { el } from './dom';
import { visibleText } from './displayText';
import { formatCount } from './format';
import { GraphModel, type VisibleEdge } from './graphModel';
import { drawHistogram } from './histogram';
import type { HostLink } from './hostLink';
import { LayoutClient } from './layoutClient';
import type { LayoutResponse } from './layoutProtocol';
import { Minimap } from './minimap';
import { OverlayColors, rampColor } from './overlayColors';
import { Renderer, type Scene } from './renderer';
import { searchNodes } from './search';
import { mix, readPalette, type Palette } from './theme';

const initialBudget = 300;
const weightTimeoutMs = 30_000;

interface GraphSession {
  readonly index: number;
  readonly model: GraphModel;
  readonly layout: LayoutClient;
  items: Int32Array;
  edges: VisibleEdge[];
}

/** The graph view: toolbar, canvas, minimap, legend, details panel and a status element for tests. */
export class GraphApp {
  private payload: GraphPayload | undefined;
  /** Row form of each graph, built when the graph is first opened. */
  private rows: Array<GraphRows | undefined> = [];
  private weightsAvailable = false;
  private session: GraphSession | undefined;
  private readonly trail: number[] = [];
  private selected = -1;
  private hits = new Set<number>();
  private matches: number[] = [];
  private matchCursor = -1;
  private overlayId = 'none';
  private overlayColors: OverlayColors | undefined;
  private diffFills: string[] | undefined;
  private palette: Palette;
  private readonly renderer: Renderer;
  private readonly minimap: Minimap;
  private frameRequested = false;
  private minimapDirty = true;
  private firstFrameAt: number | undefined;
  private layoutDoneAt: number | undefined;
  private pendingFocus: number | undefined;
  private anchor: { item: number; sx: number; sy: number } | undefined;
  private fitPending = true;
  private nextRequestId = 1;
  private readonly weightRequests = new Map<number, { resolve: (s: WeightStats) => void; reject: (e: Error) => void; timer: number }>();
  private chart: Chart | undefined;
  private readonly fontFamily: string;
  private failed: string | undefined;
  private lastDrawMs = 0;
  /** One layout worker for the page's lifetime, started before the data arrives. */
  private readonly worker: Worker;

  private readonly titleEl = el('span', { className: 'title', text: 'AIOS Model Graph' });
  private readonly crumbsEl = el('span', { className: 'crumbs' });
  private readonly backButton = el('button', { text: '◂ Back', title: 'Back to the enclosing graph (Backspace)' });
  private readonly searchInput = el('input', { className: 'search', title: 'Search node names, op types and tensor names (/)' });
  private readonly countEl = el('span', { className: 'count' });
  private readonly overlaySelect = el('select', { title: 'Colour nodes by a metric' });
  private readonly fitButton = el('button', { text: 'Fit', title: 'Fit the graph to the view (F)' });
  private readonly detailsToggle = el('button', { text: 'Details', title: 'Show or hide the details panel' });
  private readonly errorBanner = el('div', { className: 'error-banner', data: { role: 'error' } });
  private readonly stage = el('div', { className: 'stage' });
  private readonly canvas = el('canvas', { className: 'graph' });
  private readonly legend = el('div', { className: 'legend' });
  private readonly busy = el('div', { className: 'busy' });
  private readonly results = el('div', { className: 'results' });
  private readonly details = el('aside', { className: 'details' });
  private readonly status = el('div', { data: { role: 'status' } });

  constructor(
    private readonly host: HostLink,
    private readonly createWorker: () => Worker,
  ) {
    this.searchInput.type = 'search';
    this.searchInput.placeholder = 'Search nodes, ops, tensors';
    this.searchInput.setAttribute('aria-label', 'Search');
    this.overlaySelect.setAttribute('aria-label', 'Overlay');
    this.canvas.tabIndex = 0;
    this.canvas.setAttribute('aria-label', 'Model graph; arrows move, + and - zoom, F fits, Enter expands a group, * expands all, _ collapses all');
    this.status.id = 'graph-status';
    this.status.hidden = true;
    this.errorBanner.hidden = true;
    this.legend.hidden = true;
    this.results.hidden = true;
    this.backButton.hidden = true;
    const prev = el('button', { text: '↑', title: 'Previous match (Shift+Enter)' });
    const next = el('button', { text: '↓', title: 'Next match (Enter)' });
    prev.addEventListener('click', () => this.stepMatch(-1));
    next.addEventListener('click', () => this.stepMatch(1));
    const toolbar = el('div', { className: 'toolbar' }, [
      this.backButton, this.titleEl, this.crumbsEl, el('span', { className: 'spacer' }),
      this.searchInput, this.countEl, prev, next, this.overlaySelect, this.fitButton, this.detailsToggle,
    ]);
    const minimapCanvas = el('canvas', { className: 'minimap' });
    this.stage.append(this.canvas, minimapCanvas, this.legend, this.busy, this.results);
    document.body.append(toolbar, this.errorBanner, el('div', { className: 'main' }, [this.stage, this.details]), this.status);

    this.fontFamily = getComputedStyle(document.body).fontFamily || 'sans-serif';
    const ctx = this.canvas.getContext('2d', { alpha: false });
    if (!ctx) throw new Error('This browser cannot draw on a 2D canvas.');
    this.renderer = new Renderer(this.canvas, ctx);
    this.palette = readPalette(ctx);
    minimapCanvas.style.width = '180px';
    minimapCanvas.style.height = '120px';
    this.minimap = new Minimap(minimapCanvas, 180, 120, (wx, wy) => {
      this.renderer.centerOn(wx, wy);
      this.requestFrame();
    });

    this.worker = this.createWorker();
    this.worker.onmessage = (event: MessageEvent<LayoutResponse>) => this.session?.layout.accept(event.data);
    this.worker.onerror = (event) => this.showError(`The layout worker failed: ${event.message}`);
    this.bindInput();
    new ResizeObserver(() => this.resize()).observe(this.stage);
    new MutationObserver(() => this.refreshTheme()).observe(document.body, { attributes: true, attributeFilter: ['class'] });
    window.matchMedia('(prefers-color-scheme: dark)').addEventListener('change', () => this.refreshTheme());
    this.host.listen((data) => this.receive(data));
    this.updateStatus();
    performance.mark('aios-graph:ready');
    this.host.post({ type: 'ready' });
  }

  // ----- messages -----

  private receive(data: unknown): void {
    performance.mark('aios-graph:message');
    const parsed = parseMessage(hostToGraphViewSchema, data);
    performance.mark('aios-graph:validated');
    if (!parsed.ok) {
      this.showError(`Ignored a malformed message from the host (${parsed.reason}).`);
      this.host.post({ type: 'error', message: 'malformed message from the host', detail: parsed.reason });
      return;
    }
    try {
      this.handle(parsed.message);
    } catch (error) {
      this.showError(`The graph view failed: ${error instanceof Error ? error.message : String(error)}`);
      this.host.post({ type: 'error', message: error instanceof Error ? error.message : String(error), ...(error instanceof Error && error.stack ? { detail: error.stack } : {}) });
    }
  }

  private handle(message: HostToGraphView): void {
    switch (message.type) {
      case 'init':
        this.weightsAvailable = message.weightsAvailable;
        this.load(message.payload, message.reveal);
        break;
      case 'diff':
        this.load(message.payload, undefined);
        break;
      case 'reveal':
        this.reveal(message.target);
        break;
      case 'overlay': {
        if (!this.payload) return;
        const target = this.payload.graphs[message.overlay.graph];
        if (!target || message.overlay.nodes.length !== message.overlay.values.length || message.overlay.nodes.some((n) => n >= target.nodes.name.length)) {
          this.showError(`Ignored overlay ${visibleText(message.overlay.label)}: it refers to nodes this graph does not have.`);
          return;
        }
        const overlays = this.payload.overlays.filter((o) => !(o.id === message.overlay.id && o.graph === message.overlay.graph));
        overlays.push(message.overlay);
        this.payload = { ...this.payload, overlays };
        this.fillOverlayOptions();
        if (message.show) this.setOverlay(message.overlay.id);
        break;
      }
      case 'weightStats': {
        const pending = this.weightRequests.get(message.requestId);
        if (!pending) return;
        this.weightRequests.delete(message.requestId);
        clearTimeout(pending.timer);
        if (message.result.ok) pending.resolve(message.result.stats);
        else pending.reject(new Error(message.result.error));
        break;
      }
      case 'theme':
        this.refreshTheme();
        break;
      case 'failed':
        this.failed = message.message;
        this.showError(message.message);
        document.body.dataset.ready = 'true';
        this.updateStatus();
        break;
    }
  }

  private load(payload: GraphPayload, reveal: NodeRef | undefined): void {
    this.payload = payload;
    this.failed = undefined;
    this.rows = [];
    this.errorBanner.hidden = true;
    this.titleEl.textContent = visibleText(payload.title);
    this.titleEl.title = visibleText(payload.title);
    this.trail.length = 0;
    this.overlayId = 'none';
    this.openGraph(0);
    if (reveal) this.reveal(reveal);
  }

  // ----- graphs -----

  private openGraph(index: number): void {
    const payload = this.payload!;
    const rows = (this.rows[index] ??= fromColumns(payload.graphs[index]!));
    performance.mark('aios-graph:rows');
    const model = new GraphModel(rows);
    model.expandInitially(initialBudget);
    performance.mark('aios-graph:model');
    const layout = new LayoutClient(model, this.worker, () => this.nextLayoutId++, (item) => this.itemSize(model, item), (phase) => this.placed(phase));
    this.session = { index, model, layout, items: new Int32Array(0), edges: [] };
    this.selected = -1;
    this.fitPending = true;
    this.layoutDoneAt = undefined;
    this.refreshVisible();
    this.computeDiffFills();
    this.fillOverlayOptions();
    this.setOverlay(this.overlayId);
    this.updateCrumbs();
    this.showOverview();
    this.runSearch();
    performance.mark('aios-graph:visible');
    layout.update();
    performance.mark('aios-graph:layout-requested');
    this.updateStatus();
  }

  private nextLayoutId = 1;

  private updateCrumbs(): void {
    const payload = this.payload!;
    const g = payload.graphs[this.session!.index]!;
    this.crumbsEl.textContent = this.session!.index === 0 ? '' : `› ${visibleText(g.title)}`;
    this.backButton.hidden = this.trail.length === 0;
  }

  private openSubgraph(graph: number, node: number, attribute: string): void {
    if (!this.payload || !this.session) return;
    this.trail.push(this.session.index);
    this.host.post({ type: 'openSubgraph', graph, node: this.session.model.graph.nodes[node]?.name ?? '', attribute });
    this.openGraph(graph);
  }

  private back(): void {
    const previous = this.trail.pop();
    if (previous === undefined) return;
    const from = this.payload!.graphs[this.session!.index]!.owner;
    this.openGraph(previous);
    if (from) this.focusNode(from.node);
  }

  private itemSize(model: GraphModel, item: number): { w: number; h: number } {
    if (model.isGroup(item)) {
      const g = model.graph.groups[item - model.nodeCount]!;
      return { w: clamp(Math.max(g.name.length * 7.4 + 24, 90), 90, 260), h: 44 };
    }
    const n = model.graph.nodes[item]!;
    if (n.kind !== 'op') return { w: clamp(n.name.length * 7.4 + 22, 70, 240), h: 28 };
    const shortName = n.name.slice(n.name.lastIndexOf('/') + 1);
    return { w: clamp(Math.max(n.op.length * 7.6, Math.min(shortName.length, 30) * 6.2) + 24, 72, 230), h: 36 };
  }

  private refreshVisible(): void {
    const s = this.session!;
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
    this.minimapDirty = true;
  }

  private placed(phase: 'quick' | 'final'): void {
    performance.mark(`aios-graph:placed-${phase}`);
    const s = this.session;
    if (!s?.layout.placement) return;
    if (phase === 'final' && s.layout.state === 'idle' && this.layoutDoneAt === undefined) this.layoutDoneAt = performance.now();
    if (this.fitPending) {
      this.renderer.fit(s.layout.placement, true);
      if (phase === 'final') this.fitPending = false;
    }
    if (this.anchor) {
      const p = s.layout.placement;
      const a = this.anchor;
      const now = this.renderer.toScreen(p.x[a.item]!, p.y[a.item]!);
      this.renderer.camera.tx += a.sx - now.x;
      this.renderer.camera.ty += a.sy - now.y;
      if (phase === 'final') this.anchor = undefined;
    }
    if (this.pendingFocus !== undefined) {
      const item = this.pendingFocus;
      this.centerOnItem(item);
      if (phase === 'final') this.pendingFocus = undefined;
    }
    this.minimapDirty = true;
    this.requestFrame();
  }

  private toggleGroup(group: number): void {
    const s = this.session!;
    const item = s.model.nodeCount + group;
    const p = s.layout.placement;
    if (p) {
      const at = this.renderer.toScreen(p.x[item]!, p.y[item]!);
      this.anchor = { item, sx: at.x, sy: at.y };
    }
    s.model.expanded[group] = s.model.expanded[group] ? 0 : 1;
    s.model.refresh();
    s.layout.invalidate(group);
    this.refreshVisible();
    this.refreshHits();
    this.layoutDoneAt = undefined;
    s.layout.update();
    this.updateStatus();
  }

  /** `*` opens every group (the layout worker places them all; the UI stays responsive), `_` closes them. */
  private setAllExpanded(open: boolean): void {
    const s = this.session!;
    s.model.expanded.fill(open ? 1 : 0);
    s.model.expanded[0] = 1;
    s.model.refresh();
    s.layout.invalidateAll();
    this.refreshVisible();
    this.refreshHits();
    this.fitPending = true;
    this.layoutDoneAt = undefined;
    s.layout.update();
    this.updateStatus();
  }

  /** Expands every collapsed group around a node, then selects and centres it. */
  private focusNode(node: number): void {
    const s = this.session!;
    let changed = false;
    for (const g of s.model.ancestors(node)) {
      if (!s.model.expanded[g]) {
        s.model.expanded[g] = 1;
        s.layout.invalidate(g);
        changed = true;
      }
    }
    this.select(node);
    if (changed) {
      s.model.refresh();
      this.refreshVisible();
      this.refreshHits();
      this.pendingFocus = node;
      this.layoutDoneAt = undefined;
      s.layout.update();
    } else if (!s.layout.placement || s.layout.state !== 'idle') {
      // Not placed yet (a graph just opened): centre once the layout arrives.
      this.pendingFocus = node;
    } else {
      this.centerOnItem(node);
      this.requestFrame();
    }
  }

  private centerOnItem(item: number): void {
    const p = this.session?.layout.placement;
    if (!p || p.w[item] === 0) return;
    this.renderer.centerOn(p.x[item]! + p.w[item]! / 2, p.y[item]! + p.h[item]! / 2, Math.max(this.renderer.camera.scale, 0.8));
  }

  private reveal(target: NodeRef): void {
    if (!this.payload) return;
    const graphIndex = target.graph === undefined ? 0 : this.payload.graphs.findIndex((g) => g.id === target.graph);
    if (graphIndex < 0) {
      this.showError(`There is no graph ${JSON.stringify(visibleText(target.graph ?? ''))} in this model.`);
      return;
    }
    const graph = (this.rows[graphIndex] ??= fromColumns(this.payload.graphs[graphIndex]!));
    let node = graph.nodes.findIndex((n) => n.name === target.node);
    if (node < 0) node = graph.tensors.find((t) => t.name === target.node)?.producer ?? -1;
    if (node < 0) {
      this.showError(`There is no node or tensor named ${JSON.stringify(visibleText(target.node))} in ${visibleText(graph.title)}.`);
      return;
    }
    this.errorBanner.hidden = true;
    if (this.session?.index !== graphIndex) {
      this.trail.length = 0;
      this.openGraph(graphIndex);
    }
    this.focusNode(node);
  }

  // ----- selection, search, overlays -----

  private select(item: number): void {
    this.selected = item;
    const s = this.session!;
    const payload = this.payload!;
    this.details.hidden = false;
    if (item < 0) this.showOverview();
    else if (s.model.isGroup(item)) showGroupDetails(this.details, item - s.model.nodeCount, s.model.graph);
    else {
      this.chart?.destroy();
      this.chart = undefined;
      showNodeDetails(this.details, item, {
        graph: s.model.graph,
        graphIndex: s.index,
        diff: payload.diff,
        overlays: payload.overlays,
        weightsAvailable: this.weightsAvailable,
        requestWeights: (tensor) => this.requestWeights(s.index, s.model.graph.tensors[tensor]!.name),
        showHistogram: (canvas, stats) => {
          this.chart?.destroy();
          this.chart = drawHistogram(canvas, stats, this.palette);
        },
        openSubgraph: (graph, node, attribute) => this.openSubgraph(graph, node, attribute),
        selectNode: (node) => this.focusNode(node),
      });
    }
    if (item >= 0 && !s.model.isGroup(item)) {
      this.host.post({ type: 'selection', graph: s.model.graph.id, node: s.model.graph.nodes[item]!.name });
    }
    this.requestFrame();
  }

  private showOverview(): void {
    const payload = this.payload;
    if (!payload || !this.session) return;
    showModelDetails(this.details, payload.title, payload.model, this.session.model.graph);
  }

  private requestWeights(graph: number, tensor: string): Promise<WeightStats> {
    const requestId = this.nextRequestId++;
    return new Promise<WeightStats>((resolve, reject) => {
      const timer = window.setTimeout(() => {
        this.weightRequests.delete(requestId);
        reject(new Error(`no answer within ${weightTimeoutMs / 1000} s; try again`));
      }, weightTimeoutMs);
      this.weightRequests.set(requestId, { resolve, reject, timer });
      this.host.post({ type: 'requestWeights', requestId, graph, tensor });
    });
  }

  private runSearch(): void {
    const s = this.session;
    if (!s) return;
    const query = this.searchInput.value.trim();
    this.matches = query ? searchNodes(s.model.graph, query) : [];
    this.matchCursor = -1;
    this.refreshHits();
    this.countEl.textContent = query ? `${this.matches.length} found` : '';
    this.showResults();
    this.updateStatus();
    this.requestFrame();
  }

  private refreshHits(): void {
    const s = this.session!;
    this.hits = new Set(this.matches.map((n) => s.model.representative(n)));
  }

  private showResults(): void {
    const s = this.session!;
    if (this.matches.length === 0 || document.activeElement !== this.searchInput) {
      this.results.hidden = true;
      return;
    }
    const rows = this.matches.slice(0, 100).map((node, k) => {
      const n = s.model.graph.nodes[node]!;
      const row = el('div', { text: `${visibleText(n.op)}  ${visibleText(n.name)}`, title: visibleText(n.name), data: { node: String(node) } });
      if (k === this.matchCursor) row.className = 'active';
      row.addEventListener('mousedown', (event) => {
        event.preventDefault();
        this.matchCursor = k;
        this.focusNode(node);
        this.results.hidden = true;
      });
      return row;
    });
    if (this.matches.length > 100) rows.push(el('div', { text: `… ${this.matches.length - 100} more (press Enter to step through them)` }));
    this.results.replaceChildren(...rows);
    this.results.hidden = false;
  }

  private stepMatch(direction: 1 | -1): void {
    if (this.matches.length === 0) return;
    this.matchCursor = (this.matchCursor + direction + this.matches.length) % this.matches.length;
    this.countEl.textContent = `${this.matchCursor + 1} of ${this.matches.length}`;
    this.focusNode(this.matches[this.matchCursor]!);
    this.results.hidden = true;
  }

  private fillOverlayOptions(): void {
    const payload = this.payload;
    const s = this.session;
    if (!payload || !s) return;
    const options = [el('option', { text: 'No overlay' })];
    options[0]!.value = 'none';
    for (const o of payload.overlays) {
      if (o.graph !== s.index) continue;
      const option = el('option', { text: visibleText(o.label) });
      option.value = o.id;
      options.push(option);
    }
    this.overlaySelect.replaceChildren(...options);
    this.overlaySelect.value = options.some((o) => o.value === this.overlayId) ? this.overlayId : 'none';
  }

  private setOverlay(id: string): void {
    const s = this.session!;
    const overlay = this.payload!.overlays.find((o) => o.id === id && o.graph === s.index);
    this.overlayId = overlay ? id : 'none';
    this.overlaySelect.value = this.overlayId;
    this.overlayColors = overlay ? new OverlayColors(overlay, s.model, this.palette.ramp) : undefined;
    this.drawLegend(overlay);
    this.minimapDirty = true;
    this.updateStatus();
    this.requestFrame();
  }

  private computeDiffFills(): void {
    const s = this.session!;
    const diff = this.payload!.diff;
    if (!diff || s.index !== 0) {
      this.diffFills = undefined;
      return;
    }
    const p = this.palette;
    const colour: Record<DiffStatus, string> = {
      same: p.nodeFill,
      added: mix(p.nodeFill, p.added, 0.6),
      removed: mix(p.nodeFill, p.removed, 0.6),
      changed: mix(p.nodeFill, p.changed, 0.6),
    };
    const fills = diff.status.map((status) => colour[status]);
    const groupTouched = new Uint8Array(s.model.groupCount);
    diff.status.forEach((status, node) => {
      if (status === 'same') return;
      for (let g = s.model.graph.nodes[node]!.group; g >= 0; g = s.model.graph.groups[g]!.parent) groupTouched[g] = 1;
    });
    for (let g = 0; g < s.model.groupCount; g++) fills.push(groupTouched[g] ? mix(p.nodeFill, p.changed, 0.35) : mix(p.nodeFill, p.foreground, 0.06));
    this.diffFills = fills;
  }

  private fillOf = (item: number): string => {
    const s = this.session!;
    if (this.overlayColors) return this.overlayColors.colorOf(item) ?? (s.model.isGroup(item) ? mix(this.palette.nodeFill, this.palette.foreground, 0.06) : this.palette.nodeFill);
    if (this.diffFills) return this.diffFills[item] ?? this.palette.nodeFill;
    return s.model.isGroup(item) ? mix(this.palette.nodeFill, this.palette.foreground, 0.06) : this.palette.nodeFill;
  };

  private drawLegend(overlay: Overlay | undefined): void {
    const diff = this.payload?.diff;
    if (overlay && this.overlayColors) {
      const ramp = el('canvas');
      ramp.width = 160;
      ramp.height = 10;
      const ctx = ramp.getContext('2d')!;
      for (let x = 0; x < 160; x++) {
        ctx.fillStyle = rampColor(this.palette.ramp, x / 159);
        ctx.fillRect(x, 0, 1, 10);
      }
      const unit = visibleText(overlay.unit);
      this.legend.replaceChildren(
        el('div', { text: `${visibleText(overlay.label)}${overlay.scale === 'log' ? ' (log scale)' : ''}` }),
        ramp,
        el('div', { className: 'row' }, [el('span', { text: formatCount(this.overlayColors.min, unit) }), el('span', { className: 'spacer' }), el('span', { text: `… ${formatCount(this.overlayColors.max, unit)}` })]),
        el('div', { className: 'row' }, [swatch(this.palette.nodeFill), el('span', { text: 'no value' })]),
      );
      this.legend.dataset.overlay = overlay.id;
      this.legend.hidden = false;
    } else if (diff && this.session?.index === 0) {
      const count = (status: DiffStatus) => diff.status.filter((s) => s === status).length;
      const p = this.palette;
      this.legend.replaceChildren(
        el('div', { text: `${visibleText(diff.baseTitle)} → ${visibleText(diff.otherTitle)}` }),
        el('div', { className: 'row' }, [swatch(mix(p.nodeFill, p.added, 0.6)), el('span', { text: `added ${count('added')}` })]),
        el('div', { className: 'row' }, [swatch(mix(p.nodeFill, p.removed, 0.6)), el('span', { text: `removed ${count('removed')}` })]),
        el('div', { className: 'row' }, [swatch(mix(p.nodeFill, p.changed, 0.6)), el('span', { text: `changed ${count('changed')}` })]),
      );
      this.legend.dataset.overlay = 'diff';
      this.legend.hidden = false;
    } else {
      this.legend.hidden = true;
      delete this.legend.dataset.overlay;
    }
  }

  private refreshTheme(): void {
    const ctx = this.canvas.getContext('2d')!;
    this.palette = readPalette(ctx);
    if (this.session) {
      this.computeDiffFills();
      this.setOverlay(this.overlayId);
    }
    this.minimapDirty = true;
    this.requestFrame();
  }

  // ----- input -----

  private bindInput(): void {
    let drag: { x: number; y: number; moved: boolean } | undefined;
    this.canvas.addEventListener('pointerdown', (event) => {
      this.canvas.focus();
      drag = { x: event.clientX, y: event.clientY, moved: false };
      this.canvas.setPointerCapture(event.pointerId);
    });
    this.canvas.addEventListener('pointermove', (event) => {
      if (!drag) return;
      const dx = event.clientX - drag.x;
      const dy = event.clientY - drag.y;
      if (!drag.moved && Math.abs(dx) + Math.abs(dy) < 4) return;
      drag.moved = true;
      this.renderer.camera.tx += dx;
      this.renderer.camera.ty += dy;
      drag.x = event.clientX;
      drag.y = event.clientY;
      this.requestFrame();
    });
    this.canvas.addEventListener('pointerup', (event) => {
      const wasClick = drag && !drag.moved;
      drag = undefined;
      if (wasClick) this.click(event);
    });
    this.canvas.addEventListener('dblclick', (event) => {
      const hit = this.hitAt(event);
      const s = this.session;
      if (hit?.kind === 'item' && s && !s.model.isGroup(hit.item)) {
        const sub = s.model.graph.nodes[hit.item]!.subgraphs[0];
        if (sub) this.openSubgraph(sub.graph, hit.item, sub.attribute);
      }
    });
    this.canvas.addEventListener(
      'wheel',
      (event) => {
        event.preventDefault();
        const rect = this.canvas.getBoundingClientRect();
        if (event.ctrlKey || event.metaKey || !event.shiftKey) this.renderer.zoomAt(Math.exp(-event.deltaY * 0.0015), event.clientX - rect.left, event.clientY - rect.top);
        else this.renderer.camera.tx -= event.deltaY;
        this.requestFrame();
      },
      { passive: false },
    );
    this.canvas.addEventListener('keydown', (event) => this.key(event));
    this.searchInput.addEventListener('input', () => this.runSearch());
    this.searchInput.addEventListener('focus', () => this.showResults());
    this.searchInput.addEventListener('blur', () => (this.results.hidden = true));
    this.searchInput.addEventListener('keydown', (event) => {
      if (event.key === 'Enter') {
        event.preventDefault();
        this.stepMatch(event.shiftKey ? -1 : 1);
      } else if (event.key === 'Escape') {
        this.searchInput.value = '';
        this.runSearch();
        this.canvas.focus();
      }
    });
    this.overlaySelect.addEventListener('change', () => this.setOverlay(this.overlaySelect.value));
    this.fitButton.addEventListener('click', () => this.fit());
    this.backButton.addEventListener('click', () => this.back());
    this.detailsToggle.addEventListener('click', () => {
      this.details.hidden = !this.details.hidden;
    });
    window.addEventListener('keydown', (event) => {
      if ((event.key === 'f' && (event.ctrlKey || event.metaKey)) || (event.key === '/' && document.activeElement === document.body)) {
        event.preventDefault();
        this.searchInput.focus();
        this.searchInput.select();
      }
    });
  }

  private hitAt(event: MouseEvent) {
    const scene = this.scene();
    if (!scene) return undefined;
    const rect = this.canvas.getBoundingClientRect();
    return this.renderer.hitTest(scene, event.clientX - rect.left, event.clientY - rect.top);
  }

  private click(event: MouseEvent): void {
    const hit = this.hitAt(event);
    const s = this.session;
    if (!s) return;
    if (!hit) this.select(-1);
    else if (hit.kind === 'header') this.toggleGroup(hit.group);
    else if (s.model.isGroup(hit.item)) {
      this.select(hit.item);
      this.toggleGroup(hit.item - s.model.nodeCount);
    } else this.select(hit.item);
  }

  private fit(): void {
    const p = this.session?.layout.placement;
    if (!p) return;
    this.renderer.fit(p);
    this.requestFrame();
  }

  private key(event: KeyboardEvent): void {
    const s = this.session;
    if (!s) return;
    const c = this.renderer.camera;
    const { width, height } = this.renderer.viewSize;
    const step = 60;
    const navigate = this.selected >= 0 && !event.shiftKey;
    let handled = true;
    switch (event.key) {
      case 'ArrowUp':
        if (navigate) this.moveSelection('up');
        else c.ty += step;
        break;
      case 'ArrowDown':
        if (navigate) this.moveSelection('down');
        else c.ty -= step;
        break;
      case 'ArrowLeft':
        if (navigate) this.moveSelection('left');
        else c.tx += step;
        break;
      case 'ArrowRight':
        if (navigate) this.moveSelection('right');
        else c.tx -= step;
        break;
      case '+':
      case '=':
        this.renderer.zoomAt(1.25, width / 2, height / 2);
        break;
      case '-':
        this.renderer.zoomAt(0.8, width / 2, height / 2);
        break;
      case 'f':
      case '0':
        this.fit();
        break;
      case 'Enter':
        if (this.selected >= 0 && s.model.isGroup(this.selected)) this.toggleGroup(this.selected - s.model.nodeCount);
        else if (this.selected >= 0) {
          const sub = s.model.graph.nodes[this.selected]!.subgraphs[0];
          if (sub) this.openSubgraph(sub.graph, this.selected, sub.attribute);
        }
        break;
      case 'Backspace':
        this.back();
        break;
      case '*':
        this.setAllExpanded(true);
        break;
      case '_':
        this.setAllExpanded(false);
        break;
      case 'Escape':
        this.select(-1);
        break;
      default:
        handled = false;
    }
    if (handled) {
      event.preventDefault();
      this.requestFrame();
    }
  }

  /** Arrow keys with a selection: up to a producer, down to a consumer, sideways among siblings. */
  private moveSelection(direction: 'up' | 'down' | 'left' | 'right'): void {
    const s = this.session!;
    const from = this.selected;
    let target = -1;
    if (direction === 'up' || direction === 'down') {
      const edge = s.edges.find((e) => (direction === 'up' ? e.to === from : e.from === from));
      if (edge) target = direction === 'up' ? edge.from : edge.to;
    } else {
      const p = s.layout.placement;
      if (!p) return;
      const cy = p.y[from]! + p.h[from]! / 2;
      const cx = p.x[from]!;
      let best = Infinity;
      for (const item of s.items) {
        if (item === from) continue;
        const dy = Math.abs(p.y[item]! + p.h[item]! / 2 - cy);
        const dx = p.x[item]! - cx;
        if (dy > 30 || (direction === 'left' ? dx >= 0 : dx <= 0)) continue;
        if (Math.abs(dx) < best) {
          best = Math.abs(dx);
          target = item;
        }
      }
    }
    if (target < 0) return;
    this.select(target);
    const p = s.layout.placement;
    if (!p) return;
    const at = this.renderer.toScreen(p.x[target]!, p.y[target]!);
    const { width, height } = this.renderer.viewSize;
    if (at.x < 0 || at.y < 0 || at.x > width - 40 || at.y > height - 40) this.centerOnItem(target);
  }

  // ----- drawing -----

  private resize(): void {
    const rect = this.stage.getBoundingClientRect();
    this.renderer.resize(rect.width, rect.height, window.devicePixelRatio || 1);
    if (this.session?.layout.placement && this.fitPending) this.renderer.fit(this.session.layout.placement, true);
    this.requestFrame();
  }

  private scene(): Scene | undefined {
    const s = this.session;
    if (!s?.layout.placement) return undefined;
    return {
      model: s.model,
      layout: s.layout,
      placement: s.layout.placement,
      items: s.items,
      edges: s.edges,
      palette: this.palette,
      fillOf: this.fillOf,
      selected: this.selected,
      hits: this.hits,
      fontFamily: this.fontFamily,
    };
  }

  private requestFrame(): void {
    if (this.frameRequested) return;
    this.frameRequested = true;
    requestAnimationFrame(() => {
      this.frameRequested = false;
      this.frame();
    });
  }

  private frame(): void {
    const scene = this.scene();
    if (!scene) {
      this.updateStatus();
      return;
    }
    const drawStarted = performance.now();
    this.renderer.draw(scene);
    this.lastDrawMs = performance.now() - drawStarted;
    if (this.minimapDirty) {
      this.minimap.rebuild(scene.placement, scene.items, this.fillOf, this.palette);
      this.minimapDirty = false;
    }
    const { width, height } = this.renderer.viewSize;
    this.minimap.drawViewport(this.renderer.camera, width, height, this.palette);
    if (this.firstFrameAt === undefined) {
      this.firstFrameAt = performance.now();
      document.body.dataset.ready = 'true';
      this.host.post({ type: 'rendered', firstFrameMs: this.firstFrameAt, visibleNodes: scene.items.length });
    }
    this.updateStatus();
  }

  private updateStatus(): void {
    const d = this.status.dataset;
    const s = this.session;
    this.busy.textContent = s && s.layout.state !== 'idle' ? 'laying out…' : '';
    if (!s) {
      d.state = this.failed !== undefined ? 'failed' : this.payload ? 'loading' : 'waiting';
      return;
    }
    d.state = 'shown';
    d.graph = s.model.graph.id;
    d.mode = this.payload?.diff && s.index === 0 ? 'diff' : 'graph';
    d.totalNodes = String(s.model.graph.nodes.filter((n) => n.kind === 'op').length);
    d.visibleItems = String(s.items.length);
    d.drawn = String(this.renderer.lastDrawn);
    d.drawMs = this.lastDrawMs.toFixed(1);
    d.layout = s.layout.state === 'idle' ? 'final' : s.layout.state;
    d.overlay = this.overlayId;
    d.searchCount = String(this.matches.length);
    d.theme = this.palette.kind;
    if (this.firstFrameAt !== undefined) d.firstFrameMs = this.firstFrameAt.toFixed(1);
    if (this.layoutDoneAt !== undefined) d.layoutDoneMs = this.layoutDoneAt.toFixed(1);
    else delete d.layoutDoneMs;
    const sel = this.selected;
    if (sel >= 0 && s.layout.placement) {
      const p = s.layout.placement;
      const isGroup = s.model.isGroup(sel);
      d.selected = isGroup ? s.model.graph.groups[sel - s.model.nodeCount]!.path : s.model.graph.nodes[sel]!.name;
      d.selectedKind = isGroup ? 'group' : 'node';
      d.selectedOp = isGroup ? '' : s.model.graph.nodes[sel]!.op;
      d.selectedFill = this.fillOf(sel);
      d.selectedDiff = !isGroup && this.payload?.diff && s.index === 0 ? (this.payload.diff.status[sel] ?? 'same') : '';
      const a = this.renderer.toScreen(p.x[sel]!, p.y[sel]!);
      const canvasRect = this.canvas.getBoundingClientRect();
      const sc = this.renderer.camera.scale;
      d.selectedRect = [a.x + canvasRect.left, a.y + canvasRect.top, p.w[sel]! * sc, p.h[sel]! * sc].map((v) => v.toFixed(1)).join(',');
    } else {
      for (const k of ['selected', 'selectedKind', 'selectedOp', 'selectedFill', 'selectedDiff', 'selectedRect']) delete d[k];
    }
  }

  private showError(message: string): void {
    this.errorBanner.textContent = message;
    this.errorBanner.hidden = false;
  }
}

function swatch(color: string): HTMLElement {
  const s = el('span', { className: 'swatch' });
  s.style.background = color;
  return s;
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, v));
}
