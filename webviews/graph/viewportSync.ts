import type { NodeRef } from '../../src/protocol/graphMessages';
import type { Renderer } from './renderer';
import type { ViewState } from './viewState';

/** Camera moves settle this long before the other pane is told (one message per gesture, not per frame). */
const settleMs = 150;

export interface Viewport {
  readonly graph: string;
  /** The op node whose box is nearest the centre of the view; null when none is placed. */
  readonly node: string | null;
  readonly scale: number;
}

/**
 * Keeps two panes' cameras in step (side-by-side diff). The two models have different
 * layouts, so positions mean nothing across panes: what crosses is the node at the centre of
 * the view and the zoom, and the other pane centres that node's counterpart at the same zoom.
 * A camera set from the other pane is not sent back, or the panes would chase each other.
 */
export class ViewportSync {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private lastCamera = '';
  /** The camera the other pane asked for; reaching it is not a move of this pane's own. */
  private applied = '';

  constructor(
    private readonly state: ViewState,
    private readonly renderer: Renderer,
    private readonly send: (viewport: Viewport) => void,
  ) {}

  /** Called after every drawn frame. */
  framed(): void {
    const camera = this.cameraKey();
    if (camera === this.lastCamera) return;
    this.lastCamera = camera;
    if (camera === this.applied) return;
    this.applied = '';
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.sendNow(), settleMs);
  }

  /** Centres `target` (or the outermost collapsed group holding it) at `scale`, without selecting it. */
  apply(target: NodeRef, scale: number, centre: (item: number, scale: number) => void): boolean {
    const s = this.state.session;
    if (!s?.layout.placement || (target.graph !== undefined && target.graph !== s.model.graph.id)) return false;
    let node = s.model.graph.nodes.findIndex((n) => n.name === target.node);
    if (node < 0) node = s.model.graph.tensors.find((t) => t.name === target.node)?.producer ?? -1;
    if (node < 0) return false;
    const item = s.model.isItemVisible(node) ? node : s.model.ancestors(node).map((group) => s.model.nodeCount + group).find((group) => s.model.isItemVisible(group));
    if (item === undefined || !(s.layout.placement.w[item]! > 0)) return false;
    clearTimeout(this.timer);
    centre(item, scale);
    this.applied = this.cameraKey();
    return true;
  }

  /** The op node nearest the view's centre (for tests and the other pane). */
  centreNode(): string | null {
    const s = this.state.session;
    const p = s?.layout.placement;
    if (!s || !p) return null;
    const { width, height } = this.renderer.viewSize;
    const c = this.renderer.toWorld(width / 2, height / 2);
    let best = -1;
    let bestDistance = Infinity;
    for (const item of s.items) {
      if (s.model.isGroup(item) || s.model.graph.nodes[item]!.kind !== 'op' || !(p.w[item]! > 0)) continue;
      const dx = Math.max(p.x[item]! - c.x, 0, c.x - p.x[item]! - p.w[item]!);
      const dy = Math.max(p.y[item]! - c.y, 0, c.y - p.y[item]! - p.h[item]!);
      const distance = dx * dx + dy * dy;
      if (distance < bestDistance) {
        bestDistance = distance;
        best = item;
      }
    }
    return best < 0 ? null : s.model.graph.nodes[best]!.name;
  }

  dispose(): void {
    clearTimeout(this.timer);
  }

  private sendNow(): void {
    this.timer = undefined;
    const s = this.state.session;
    if (!s) return;
    this.send({ graph: s.model.graph.id, node: this.centreNode(), scale: this.renderer.camera.scale });
  }

  private cameraKey(): string {
    const { scale, tx, ty } = this.renderer.camera;
    return `${scale.toFixed(4)},${tx.toFixed(1)},${ty.toFixed(1)}`;
  }
}
