import type { GraphPayload } from '../../src/protocol/graphPayload';
import type { GraphViewState } from '../../src/protocol/graphViewState';
import { hostToGraphViewSchema, type HostToGraphView, type NodeRef } from '../../src/protocol/graphMessages';
import { dimAliases, symbolsOf } from '../../src/protocol/dimAliases';
import { el } from '../shared/dom';
import { visibleText } from '../shared/displayText';
import { receiveValidated } from '../shared/hostLink';
import { CanvasView } from './canvasView';
import { DetailsController } from './detailsController';
import { DiffSteps } from './diffSteps';
import type { GraphHostLink } from './hostLink';
import { InputController } from './inputController';
import { declaredInputs, InputSizesControl } from './inputSizesControl';
import { applyResized } from './resized';
import type { LayoutResponse } from './layoutProtocol';
import { GraphNavigator } from './navigator';
import { OverlayController } from './overlayController';
import { readPalette } from './palette';
import { SearchController } from './searchController';
import { StatusController } from './statusController';
import { Toolbar } from './toolbar';
import { ViewPersistence } from './viewPersistence';
import { ViewportSync } from './viewportSync';
import { ViewState, type GraphActions } from './viewState';

/**
 * The graph view: toolbar, canvas, minimap, legend, details panel and a status element for
 * tests. This class wires the controllers together and handles the host's messages.
 */
export class GraphApp implements GraphActions {
  private readonly state: ViewState;
  private readonly view: CanvasView;
  private readonly overlays: OverlayController;
  private readonly search: SearchController;
  private readonly details: DetailsController;
  private readonly status: StatusController;
  private readonly toolbar: Toolbar;
  private readonly navigator: GraphNavigator;
  private readonly persistence: ViewPersistence;
  private readonly viewport: ViewportSync;
  private readonly sizes: InputSizesControl;
  private readonly diffSteps: DiffSteps;
  private readonly stage = el('div', { className: 'stage' });

  constructor(
    private readonly host: GraphHostLink,
    createWorker: () => Worker,
  ) {
    const { canvas, context } = CanvasView.createCanvas();
    this.state = new ViewState(readPalette(context));
    this.overlays = new OverlayController(this.state, this);
    this.view = new CanvasView(canvas, context, this.state, this.overlays);
    this.search = new SearchController(this.state, this, this.view.canvas);
    this.details = new DetailsController(this.state, this, (message) => this.host.post(message));
    this.status = new StatusController(this.state, this.view.renderer, this.overlays, this.search);
    this.toolbar = new Toolbar(this.state, this, this.search, this.overlays, () => {
      this.details.toggle();
      this.persistence.changed(true);
    });
    this.persistence = new ViewPersistence(host.state, () => this.snapshot(), (state) => this.host.post({ type: 'viewState', state }), (reason) => this.host.post({ type: 'error', message: 'ignored the saved view state', detail: reason }));
    this.status.viewSaved = () => this.persistence.clean;
    this.viewport = new ViewportSync(this.state, this.view.renderer, (viewport) => this.host.post({ type: 'viewport', ...viewport }));
    this.status.centreNode = () => this.viewport.centreNode();
    this.persistence.onSaved = () => this.status.update();
    this.sizes = new InputSizesControl(
      (sizes) => {
        this.host.post({ type: 'setInputSizes', sizes });
        this.persistence.changed(true);
        this.updateStatus();
      },
      (symbol) => this.state.dimAliases.get(symbol) ?? symbol,
    );
    this.diffSteps = new DiffSteps(this.state, this, this.view.canvas, host.kind === 'vscode' ? () => this.host.post({ type: 'openSideBySide' }) : undefined);
    this.toolbar.element.append(this.diffSteps.prev, this.diffSteps.count, this.diffSteps.next, this.diffSteps.sideBySide, this.sizes.toggle);
    this.stage.append(this.view.canvas, this.view.minimapCanvas, this.overlays.legend, this.status.busy, this.search.results, this.sizes.panel);
    document.body.append(this.toolbar.element, this.status.errorBanner, el('div', { className: 'main' }, [this.stage, this.details.panel]), this.status.element);

    // One layout worker for the page's lifetime, started before the data arrives.
    const worker = createWorker();
    worker.onmessage = (event: MessageEvent<LayoutResponse>) => this.state.session?.layout.accept(event.data);
    worker.onerror = (event) => this.showError(`The layout worker failed: ${event.message}`);
    this.navigator = new GraphNavigator(this.state, this.view, worker, {
      opened: () => {
        this.overlays.computeDiffFills();
        this.overlays.fillOptions();
        this.overlays.show(this.overlays.id);
        this.toolbar.updateCrumbs();
        this.toolbar.updateWeightsToggle();
        this.details.showOverview();
        this.search.run();
        this.diffSteps.refresh();
      },
      visibleChanged: () => this.search.refreshHits(),
      select: (item) => this.select(item),
      updateStatus: () => this.updateStatus(),
      showError: (message) => this.showError(message),
      hideError: () => this.status.hideError(),
      openedSubgraph: (graph, node, attribute) => {
        // A search of the enclosing graph would highlight unrelated nodes of the body: start clean.
        this.search.input.value = '';
        this.host.post({ type: 'openSubgraph', graph, node, attribute });
      },
    });
    this.view.onIdle = () => this.updateStatus();
    this.view.onFrame = (visibleNodes) => {
      if (this.state.firstFrameAt === undefined) {
        this.state.firstFrameAt = performance.now();
        document.body.dataset.ready = 'true';
        this.host.post({ type: 'rendered', firstFrameMs: this.state.firstFrameAt, visibleNodes });
      }
      this.persistence.changed(false);
      this.viewport.framed();
      this.updateStatus();
    };
    new InputController(this.state, this, this.view.renderer, () => this.view.scene());
    new ResizeObserver(() => this.resize()).observe(this.stage);
    new MutationObserver(() => this.refreshTheme()).observe(document.body, { attributes: true, attributeFilter: ['class'] });
    window.matchMedia('(prefers-color-scheme: dark)').addEventListener('change', () => this.refreshTheme());
    this.host.listen((data) => this.receive(data));
    this.updateStatus();
    performance.mark('aios-graph:ready');
    this.host.post({ type: 'ready' });
  }

  // ----- messages -----

  private readonly receiveValid = receiveValidated(
    hostToGraphViewSchema,
    (message) => {
      try {
        this.handle(message);
      } catch (error) {
        this.showError(`The graph view failed: ${error instanceof Error ? error.message : String(error)}`);
        this.host.post({ type: 'error', message: error instanceof Error ? error.message : String(error), ...(error instanceof Error && error.stack ? { detail: error.stack } : {}) });
      }
    },
    (reason) => {
      this.showError(`Ignored a malformed message from the host (${reason}).`);
      this.host.post({ type: 'error', message: 'malformed message from the host', detail: reason });
    },
  );

  private receive(data: unknown): void {
    performance.mark('aios-graph:message');
    this.receiveValid(data);
  }

  private handle(message: HostToGraphView): void {
    performance.mark('aios-graph:validated');
    switch (message.type) {
      case 'init':
        this.state.weightsAvailable = message.weightsAvailable;
        this.load(message.payload, message.reveal, message.viewState);
        break;
      case 'diff':
        this.load(message.payload, undefined);
        break;
      case 'reveal':
        this.navigator.reveal(message.target);
        break;
      case 'camera':
        if (this.viewport.apply(message.target, message.scale, (item, scale) => this.view.centerOnItem(item, scale))) this.view.requestFrame();
        break;
      case 'overlay': {
        const payload = this.state.payload;
        if (!payload) return;
        const target = payload.graphs[message.overlay.graph];
        if (!target || message.overlay.nodes.length !== message.overlay.values.length || message.overlay.nodes.some((n) => n >= target.nodes.name.length)) {
          this.showError(`Ignored overlay ${visibleText(message.overlay.label)}: it refers to nodes this graph does not have.`);
          return;
        }
        const overlays = payload.overlays.filter((o) => !(o.id === message.overlay.id && o.graph === message.overlay.graph));
        overlays.push(message.overlay);
        this.state.payload = { ...payload, overlays };
        this.overlays.fillOptions();
        if (message.show) this.overlays.show(message.overlay.id);
        break;
      }
      case 'weightStats':
        this.details.answer(message);
        break;
      case 'resized':
        if (!applyResized(this.state, message.payload)) this.load(message.payload, undefined);
        this.sizes.used(message.sizes);
        this.overlays.fillOptions();
        this.overlays.show(this.overlays.id);
        this.details.show(this.state.selected);
        this.view.requestFrame();
        this.updateStatus();
        break;
      case 'resizeFailed':
        this.sizes.refused(message.message);
        this.updateStatus();
        break;
      case 'theme':
        this.refreshTheme();
        break;
      case 'failed':
        this.state.failed = message.message;
        this.showError(message.message);
        document.body.dataset.ready = 'true';
        this.updateStatus();
        break;
    }
  }

  private load(payload: GraphPayload, reveal: NodeRef | undefined, hostState?: GraphViewState): void {
    this.state.payload = payload;
    this.state.failed = undefined;
    this.state.rows = [];
    this.status.hideError();
    this.toolbar.setTitle(payload.title);
    this.state.trail.length = 0;
    this.state.dimAliases = dimAliases(symbolsOf(payload.graphs.flatMap((g) => g.tensors.shape)));
    this.overlays.id = 'none';
    const saved = this.persistence.take(hostState);
    if (saved) this.restore(saved);
    else this.navigator.openGraph(0);
    if (reveal) this.navigator.reveal(reveal);
    if (!payload.diff && this.host.kind === 'vscode') {
      // Sizes set before a reload or a file change are asked for again.
      const sizes = saved?.inputSizes ?? this.sizes.requested;
      this.sizes.setInputs(declaredInputs(payload), sizes);
      if (Object.keys(sizes).length > 0) this.host.post({ type: 'setInputSizes', sizes });
    }
  }

  /** Shows the view as an earlier page of this editor left it; what no longer matches the model is dropped. */
  private restore(saved: GraphViewState): void {
    const payload = this.state.payload!;
    const indexOf = (id: string) => payload.graphs.findIndex((g) => g.id === id);
    const graph = Math.max(0, indexOf(saved.graph));
    if (graph > 0) this.state.trail.push(...saved.trail.map(indexOf).filter((i) => i >= 0 && i !== graph));
    this.overlays.id = saved.overlay;
    this.search.input.value = saved.search;
    this.state.showWeights = saved.toggles['weights'] ?? false;
    this.navigator.openGraph(graph, { restore: { expanded: new Set(saved.expanded), camera: saved.camera } });
    const s = this.state.session!;
    const wanted = saved.selected;
    if (wanted) {
      const group = wanted.kind === 'group' ? s.model.graph.groups.findIndex((g, i) => i > 0 && g.path === wanted.name) : -1;
      const item = wanted.kind === 'node' ? s.model.graph.nodes.findIndex((n) => n.name === wanted.name) : group >= 0 ? s.model.nodeCount + group : -1;
      if (item >= 0 && s.model.isItemVisible(item)) this.select(item);
    }
    this.details.panel.hidden = saved.detailsHidden;
  }

  /** The view as saved with the host (undefined while no graph is shown). */
  private snapshot(): GraphViewState | undefined {
    const { payload, session: s, selected } = this.state;
    if (!payload || !s) return undefined;
    const isGroup = selected >= 0 && s.model.isGroup(selected);
    const { scale, tx, ty } = this.view.renderer.camera;
    return {
      version: 1,
      graph: payload.graphs[s.index]!.id,
      trail: this.state.trail.map((i) => payload.graphs[i]!.id),
      camera: { scale, tx, ty },
      expanded: this.navigator.expandedPaths(),
      selected: selected < 0 ? null : isGroup ? { kind: 'group', name: s.model.graph.groups[selected - s.model.nodeCount]!.path } : { kind: 'node', name: s.model.graph.nodes[selected]!.name },
      overlay: this.overlays.id,
      search: this.search.input.value,
      toggles: { weights: this.state.showWeights },
      detailsHidden: this.details.panel.hidden,
      inputSizes: this.sizes.requested,
    };
  }

  private refreshTheme(): void {
    this.state.palette = readPalette(this.view.context);
    if (this.state.session) this.overlays.refresh();
    this.view.invalidateMinimap();
    this.view.requestFrame();
  }

  private resize(): void {
    const rect = this.stage.getBoundingClientRect();
    this.view.renderer.resize(rect.width, rect.height, window.devicePixelRatio || 1);
    this.navigator.resized();
    this.view.requestFrame();
  }

  // ----- GraphActions -----

  select(item: number): void {
    this.state.selected = item;
    const s = this.state.session!;
    this.details.show(item);
    if (item >= 0 && !s.model.isGroup(item)) this.host.post({ type: 'selection', graph: s.model.graph.id, node: s.model.graph.nodes[item]!.name });
    this.persistence.changed(true);
    this.diffSteps.refresh();
    this.requestFrame();
  }

  focusNode(node: number): void {
    this.navigator.focusNode(node);
  }

  toggleGroup(group: number): void {
    this.navigator.toggleGroup(group);
    this.persistence.changed(true);
  }

  setAllExpanded(open: boolean): void {
    this.navigator.setAllExpanded(open);
    this.persistence.changed(true);
  }

  setShowWeights(show: boolean): void {
    this.navigator.setShowWeights(show);
    this.toolbar.updateWeightsToggle();
    this.persistence.changed(true);
  }

  openSubgraph(graph: number, node: number, attribute: string): void {
    this.navigator.openSubgraph(graph, node, attribute);
  }

  back(): void {
    this.navigator.back();
  }

  fit(): void {
    this.view.fit();
  }

  centerOnItem(item: number): void {
    this.view.centerOnItem(item);
  }

  requestFrame(): void {
    this.view.requestFrame();
  }

  invalidateMinimap(): void {
    this.view.invalidateMinimap();
  }

  updateStatus(): void {
    this.status.update();
    const d = this.status.element.dataset;
    const s = this.state.session;
    if (!s || !this.sizes) return;
    d.inputSizes = this.sizes.describe();
    d.inputSizesState = this.sizes.state;
    const ops = s.model.graph.nodes.filter((n) => n.kind === 'op');
    d.totalFlops = ops.some((n) => n.flops !== null) ? String(ops.reduce((sum, n) => sum + (n.flops ?? 0), 0)) : 'unknown';
    d.side = this.state.payload?.diff?.side ?? '';
    d.title = this.state.payload?.title ?? '';
    d.changeCount = String(this.diffSteps.changes().length);
  }

  showError(message: string): void {
    this.status.showError(message);
  }
}
