import { el } from '../shared/dom';
import { Minimap } from './minimap';
import type { OverlayController } from './overlayController';
import { Renderer, type Scene } from './renderer';
import type { ViewState } from './viewState';

/** The canvas, its minimap and the frame loop: draws at most once per animation frame. */
export class CanvasView {
  readonly minimapCanvas = el('canvas', { className: 'minimap' });
  readonly renderer: Renderer;
  private readonly minimap: Minimap;
  private readonly fontFamily: string;
  private frameRequested = false;
  private minimapDirty = true;
  /** Called after every drawn frame, with the number of visible items. */
  onFrame: (visibleItems: number) => void = () => undefined;
  /** Called when there was nothing to draw. */
  onIdle: () => void = () => undefined;

  constructor(
    readonly canvas: HTMLCanvasElement,
    readonly context: CanvasRenderingContext2D,
    private readonly state: ViewState,
    private readonly overlays: OverlayController,
  ) {
    this.fontFamily = getComputedStyle(document.body).fontFamily || 'sans-serif';
    this.renderer = new Renderer(canvas, context);
    this.minimapCanvas.style.width = '180px';
    this.minimapCanvas.style.height = '120px';
    this.minimap = new Minimap(this.minimapCanvas, 180, 120, (wx, wy) => {
      this.renderer.centerOn(wx, wy);
      this.requestFrame();
    });
  }

  /** The graph canvas and its 2D context (the palette is read through the context before the view exists). */
  static createCanvas(): { canvas: HTMLCanvasElement; context: CanvasRenderingContext2D } {
    const canvas = el('canvas', { className: 'graph' });
    canvas.tabIndex = 0;
    canvas.setAttribute('aria-label', 'Model graph; arrows move, + and - zoom, F fits, Enter expands a group, * expands all, _ collapses all');
    const context = canvas.getContext('2d', { alpha: false });
    if (!context) throw new Error('This browser cannot draw on a 2D canvas.');
    return { canvas, context };
  }

  invalidateMinimap(): void {
    this.minimapDirty = true;
  }

  scene(): Scene | undefined {
    const s = this.state.session;
    if (!s?.layout.placement) return undefined;
    return {
      model: s.model,
      layout: s.layout,
      placement: s.layout.placement,
      items: s.items,
      edges: s.edges,
      palette: this.state.palette,
      fillOf: this.overlays.fillOf,
      selected: this.state.selected,
      hits: this.state.hits,
      fontFamily: this.fontFamily,
      dimAliases: this.state.dimAliases,
    };
  }

  requestFrame(): void {
    if (this.frameRequested) return;
    this.frameRequested = true;
    requestAnimationFrame(() => {
      this.frameRequested = false;
      this.frame();
    });
  }

  /** Fits the whole graph into the view. */
  fit(): void {
    const p = this.state.session?.layout.placement;
    if (!p) return;
    this.renderer.fit(p);
    this.requestFrame();
  }

  /** Centres an item's box; at `scale`, or zoomed in to a readable scale when the view is further out. */
  centerOnItem(item: number, scale?: number): void {
    const p = this.state.session?.layout.placement;
    if (!p || p.w[item] === 0) return;
    this.renderer.centerOn(p.x[item]! + p.w[item]! / 2, p.y[item]! + p.h[item]! / 2, scale ?? Math.max(this.renderer.camera.scale, 0.8));
  }

  private frame(): void {
    const scene = this.scene();
    if (!scene) {
      this.onIdle();
      return;
    }
    const drawStarted = performance.now();
    this.renderer.draw(scene);
    this.state.lastDrawMs = performance.now() - drawStarted;
    if (this.minimapDirty) {
      this.minimap.rebuild(scene.placement, scene.items, this.overlays.fillOf, this.state.palette);
      this.minimapDirty = false;
    }
    const { width, height } = this.renderer.viewSize;
    this.minimap.drawViewport(this.renderer.camera, width, height, this.state.palette);
    this.onFrame(scene.items.length);
  }
}
