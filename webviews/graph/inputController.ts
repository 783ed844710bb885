import type { Renderer, Scene } from './renderer';
import { dataPathStep } from './dataPath';
import type { GraphActions, ViewState } from './viewState';

/** Pointer, wheel and keyboard on the canvas: pan, zoom, select, expand, step along edges. */
export class InputController {
  constructor(
    private readonly state: ViewState,
    private readonly actions: GraphActions,
    private readonly renderer: Renderer,
    private readonly scene: () => Scene | undefined,
  ) {
    this.bind(renderer.canvas);
  }

  private bind(canvas: HTMLCanvasElement): void {
    let drag: { x: number; y: number; moved: boolean } | undefined;
    canvas.addEventListener('pointerdown', (event) => {
      canvas.focus();
      drag = { x: event.clientX, y: event.clientY, moved: false };
      canvas.setPointerCapture(event.pointerId);
    });
    canvas.addEventListener('pointermove', (event) => {
      if (!drag) return;
      const dx = event.clientX - drag.x;
      const dy = event.clientY - drag.y;
      if (!drag.moved && Math.abs(dx) + Math.abs(dy) < 4) return;
      drag.moved = true;
      this.renderer.camera.tx += dx;
      this.renderer.camera.ty += dy;
      drag.x = event.clientX;
      drag.y = event.clientY;
      this.actions.requestFrame();
    });
    canvas.addEventListener('pointerup', (event) => {
      const wasClick = drag && !drag.moved;
      drag = undefined;
      if (wasClick) this.click(event);
    });
    canvas.addEventListener('dblclick', (event) => {
      const hit = this.hitAt(event);
      const s = this.state.session;
      if (hit?.kind === 'item' && s && !s.model.isGroup(hit.item)) {
        const sub = s.model.graph.nodes[hit.item]!.subgraphs[0];
        if (sub) this.actions.openSubgraph(sub.graph, hit.item, sub.attribute);
      }
    });
    canvas.addEventListener(
      'wheel',
      (event) => {
        event.preventDefault();
        const rect = canvas.getBoundingClientRect();
        if (event.ctrlKey || event.metaKey || !event.shiftKey) this.renderer.zoomAt(Math.exp(-event.deltaY * 0.0015), event.clientX - rect.left, event.clientY - rect.top);
        else this.renderer.camera.tx -= event.deltaY;
        this.actions.requestFrame();
      },
      { passive: false },
    );
    canvas.addEventListener('keydown', (event) => this.key(event));
  }

  private hitAt(event: MouseEvent) {
    const scene = this.scene();
    if (!scene) return undefined;
    const rect = this.renderer.canvas.getBoundingClientRect();
    return this.renderer.hitTest(scene, event.clientX - rect.left, event.clientY - rect.top);
  }

  private click(event: MouseEvent): void {
    const hit = this.hitAt(event);
    const s = this.state.session;
    if (!s) return;
    if (!hit) this.actions.select(-1);
    else if (hit.kind === 'header') this.actions.toggleGroup(hit.group);
    else if (s.model.isGroup(hit.item)) {
      this.actions.select(hit.item);
      this.actions.toggleGroup(hit.item - s.model.nodeCount);
    } else this.actions.select(hit.item);
  }

  private key(event: KeyboardEvent): void {
    const s = this.state.session;
    if (!s) return;
    const c = this.renderer.camera;
    const { width, height } = this.renderer.viewSize;
    const step = 60;
    const selected = this.state.selected;
    const navigate = selected >= 0 && !event.shiftKey;
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
        this.actions.fit();
        break;
      case 'Enter':
        if (selected >= 0 && s.model.isGroup(selected)) this.actions.toggleGroup(selected - s.model.nodeCount);
        else if (selected >= 0) {
          const sub = s.model.graph.nodes[selected]!.subgraphs[0];
          if (sub) this.actions.openSubgraph(sub.graph, selected, sub.attribute);
        }
        break;
      case 'Backspace':
        this.actions.back();
        break;
      case '*':
        this.actions.setAllExpanded(true);
        break;
      case '_':
        this.actions.setAllExpanded(false);
        break;
      case 'w':
      case 'W':
        this.actions.setShowWeights(!this.state.showWeights);
        break;
      case 'Escape':
        this.actions.select(-1);
        break;
      default:
        handled = false;
    }
    if (handled) {
      event.preventDefault();
      this.actions.requestFrame();
    }
  }

  /** Arrow keys with a selection: up to a producer, down to a consumer (along the data path), sideways among siblings. */
  private moveSelection(direction: 'up' | 'down' | 'left' | 'right'): void {
    const s = this.state.session!;
    const from = this.state.selected;
    let target = -1;
    if (direction === 'up' || direction === 'down') {
      target = dataPathStep(s.model, s.edges, from, direction);
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
    this.actions.select(target);
    const p = s.layout.placement;
    if (!p) return;
    const at = this.renderer.toScreen(p.x[target]!, p.y[target]!);
    const { width, height } = this.renderer.viewSize;
    if (at.x < 0 || at.y < 0 || at.x > width - 40 || at.y > height - 40) this.actions.centerOnItem(target);
  }
}
