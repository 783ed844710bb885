import type { GraphModel, VisibleEdge } from './graphModel';
import { LabelSpace } from '../../src/shared/labelSpace';
import type { LayoutClient, Placement } from './layoutClient';
import { groupHeader } from './layoutClient';
import { ellipsize, visibleText } from '../shared/displayText';
import { nodeHeader, weightRowHeight, type WeightRow } from './weightRows';
import { edgeLabel } from '../shared/format';
import { luminance } from '../shared/theme';
import { opCategory, type Palette } from './palette';

export interface Camera {
  scale: number;
  tx: number;
  ty: number;
}

export interface Scene {
  readonly model: GraphModel;
  readonly layout: LayoutClient;
  readonly placement: Placement;
  readonly items: Int32Array;
  readonly edges: readonly VisibleEdge[];
  readonly palette: Palette;
  readonly fillOf: (item: number) => string;
  readonly selected: number;
  readonly hits: ReadonlySet<number>;
  readonly fontFamily: string;
  readonly dimAliases?: ReadonlyMap<string, string>;
}

export type Hit = { kind: 'item'; item: number } | { kind: 'header'; group: number };

const minScale = 0.002;
const maxScale = 4;

/** Draws a scene on a 2D canvas with culling and three levels of detail. */
export class Renderer {
  readonly camera: Camera = { scale: 1, tx: 0, ty: 0 };
  private width = 0;
  private height = 0;
  private dpr = 1;
  /** Items drawn in the last frame, for tests and diagnostics. */
  lastDrawn = 0;
  /** Edge-label rectangles of the last frame, in world units (tests check they never overlap). */
  labelBoxes: Array<[x: number, y: number, w: number, h: number]> = [];

  constructor(readonly canvas: HTMLCanvasElement, private readonly ctx: CanvasRenderingContext2D) {}

  resize(width: number, height: number, dpr: number): void {
    this.width = width;
    this.height = height;
    this.dpr = dpr;
    this.canvas.width = Math.max(1, Math.round(width * dpr));
    this.canvas.height = Math.max(1, Math.round(height * dpr));
  }

  get viewSize(): { width: number; height: number } {
    return { width: this.width, height: this.height };
  }

  /** Whole graph in view; `readable` keeps text legible for tall graphs (fit the width, start at the top). */
  fit(placement: Placement, readable = false, margin = 24): void {
    const sx = (this.width - 2 * margin) / Math.max(1, placement.width);
    const sy = (this.height - 2 * margin) / Math.max(1, placement.height);
    let scale = clamp(Math.min(sx, sy, 1.5), minScale, maxScale);
    if (readable && scale < 0.6) scale = clamp(Math.min(sx, 1), Math.max(scale, 0.6), maxScale);
    this.camera.scale = scale;
    this.camera.tx = (this.width - placement.width * scale) / 2;
    this.camera.ty = Math.max(margin, (this.height - placement.height * scale) / 2);
  }

  zoomAt(factor: number, sx: number, sy: number): void {
    const c = this.camera;
    const scale = clamp(c.scale * factor, minScale, maxScale);
    const wx = (sx - c.tx) / c.scale;
    const wy = (sy - c.ty) / c.scale;
    c.scale = scale;
    c.tx = sx - wx * scale;
    c.ty = sy - wy * scale;
  }

  centerOn(wx: number, wy: number, scale?: number): void {
    if (scale !== undefined) this.camera.scale = clamp(scale, minScale, maxScale);
    this.camera.tx = this.width / 2 - wx * this.camera.scale;
    this.camera.ty = this.height / 2 - wy * this.camera.scale;
  }

  toWorld(sx: number, sy: number): { x: number; y: number } {
    return { x: (sx - this.camera.tx) / this.camera.scale, y: (sy - this.camera.ty) / this.camera.scale };
  }

  toScreen(wx: number, wy: number): { x: number; y: number } {
    return { x: wx * this.camera.scale + this.camera.tx, y: wy * this.camera.scale + this.camera.ty };
  }

  hitTest(scene: Scene, sx: number, sy: number): Hit | undefined {
    const { x, y } = this.toWorld(sx, sy);
    const p = scene.placement;
    for (let k = scene.items.length - 1; k >= 0; k--) {
      const item = scene.items[k]!;
      if (x >= p.x[item]! && x <= p.x[item]! + p.w[item]! && y >= p.y[item]! && y <= p.y[item]! + p.h[item]!) return { kind: 'item', item };
    }
    const open = scene.model.openGroups();
    for (let k = open.length - 1; k > 0; k--) {
      const item = scene.model.nodeCount + open[k]!;
      if (x >= p.x[item]! && x <= p.x[item]! + p.w[item]! && y >= p.y[item]! && y <= p.y[item]! + groupHeader) return { kind: 'header', group: open[k]! };
    }
    return undefined;
  }

  draw(scene: Scene): void {
    const { ctx, camera } = this;
    const { placement: p, palette, model } = scene;
    ctx.setTransform(this.dpr, 0, 0, this.dpr, 0, 0);
    ctx.fillStyle = palette.background;
    ctx.fillRect(0, 0, this.width, this.height);
    const s = camera.scale;
    ctx.setTransform(this.dpr * s, 0, 0, this.dpr * s, this.dpr * camera.tx, this.dpr * camera.ty);
    const x0 = -camera.tx / s;
    const y0 = -camera.ty / s;
    const x1 = x0 + this.width / s;
    const y1 = y0 + this.height / s;
    const inView = (item: number) => p.w[item]! > 0 && p.x[item]! <= x1 && p.x[item]! + p.w[item]! >= x0 && p.y[item]! <= y1 && p.y[item]! + p.h[item]! >= y0;
    const px = 1 / s;

    // Open group frames, outermost first.
    const open = model.openGroups();
    ctx.lineWidth = px;
    for (let k = 1; k < open.length; k++) {
      const item = model.nodeCount + open[k]!;
      if (!inView(item)) continue;
      ctx.fillStyle = palette.groupFill;
      ctx.fillRect(p.x[item]!, p.y[item]!, p.w[item]!, p.h[item]!);
      ctx.strokeStyle = palette.groupBorder;
      ctx.strokeRect(p.x[item]!, p.y[item]!, p.w[item]!, p.h[item]!);
      if (s * 11 >= 5) {
        ctx.fillStyle = palette.muted;
        ctx.font = `11px ${scene.fontFamily}`;
        ctx.textBaseline = 'middle';
        const group = model.graph.groups[open[k]!]!;
        ctx.fillText(`▾ ${ellipsize(visibleText(group.name), Math.max(4, Math.floor(p.w[item]! / 7)))}`, p.x[item]! + 6, p.y[item]! + groupHeader / 2, p.w[item]! - 12);
      }
    }

    // Edges: one batched stroke; routed polylines where the layout has them.
    const detailed = s >= 0.25;
    const labelled: Array<[VisibleEdge, number, number]> = [];
    ctx.strokeStyle = palette.edge;
    ctx.lineWidth = Math.max(px, 1.2);
    ctx.beginPath();
    const arrows: Array<[number, number]> = [];
    const selectedEdges: VisibleEdge[] = [];
    for (const edge of scene.edges) {
      const a = edge.from;
      const b = edge.to;
      if (p.w[a] === 0 || p.w[b] === 0) continue;
      const ax = p.x[a]! + p.w[a]! / 2;
      const ay = p.y[a]! + p.h[a]!;
      const bx = p.x[b]! + p.w[b]! / 2;
      const by = p.y[b]!;
      if (Math.max(ax, bx) < x0 || Math.min(ax, bx) > x1 || Math.max(ay, by) < y0 - 200 || Math.min(ay, by) > y1 + 200) continue;
      if (a === scene.selected || b === scene.selected) selectedEdges.push(edge);
      const route = detailed ? scene.layout.route(edge) : undefined;
      ctx.moveTo(ax, ay);
      if (route && route.length >= 4) {
        for (let k = 2; k < route.length - 2; k += 2) ctx.lineTo(route[k]!, route[k + 1]!);
        ctx.lineTo(bx, by);
      } else if (detailed) {
        const dy = Math.max(20, Math.abs(by - ay) / 2);
        ctx.bezierCurveTo(ax, ay + dy, bx, by - dy, bx, by);
      } else ctx.lineTo(bx, by);
      if (detailed) arrows.push([bx, by]);
      if (s >= 0.6) {
        const mx = route && route.length >= 6 ? route[Math.floor(route.length / 4) * 2]! : (ax + bx) / 2;
        const my = route && route.length >= 6 ? route[Math.floor(route.length / 4) * 2 + 1]! : (ay + by) / 2;
        if (mx >= x0 && mx <= x1 && my >= y0 && my <= y1) labelled.push([edge, mx, my]);
      }
    }
    ctx.stroke();
    if (arrows.length > 0) {
      ctx.fillStyle = palette.edge;
      ctx.beginPath();
      for (const [bx, by] of arrows) {
        ctx.moveTo(bx, by);
        ctx.lineTo(bx - 4, by - 7);
        ctx.lineTo(bx + 4, by - 7);
        ctx.closePath();
      }
      ctx.fill();
    }
    if (selectedEdges.length > 0) {
      ctx.strokeStyle = palette.selection;
      ctx.lineWidth = Math.max(2 * px, 2);
      ctx.beginPath();
      for (const edge of selectedEdges) {
        const a = edge.from;
        const b = edge.to;
        ctx.moveTo(p.x[a]! + p.w[a]! / 2, p.y[a]! + p.h[a]!);
        ctx.lineTo(p.x[b]! + p.w[b]! / 2, p.y[b]!);
      }
      ctx.stroke();
    }

    // Boxes, batched by fill colour.
    const byFill = new Map<string, number[]>();
    let drawn = 0;
    for (const item of scene.items) {
      if (!inView(item)) continue;
      drawn++;
      const fill = scene.fillOf(item);
      let list = byFill.get(fill);
      if (!list) byFill.set(fill, (list = []));
      list.push(item);
    }
    this.lastDrawn = drawn;
    for (const [fill, list] of byFill) {
      ctx.fillStyle = fill;
      ctx.beginPath();
      for (const item of list) ctx.rect(p.x[item]!, p.y[item]!, p.w[item]!, p.h[item]!);
      ctx.fill();
    }
    if (s >= 0.15) {
      ctx.strokeStyle = palette.nodeBorder;
      ctx.lineWidth = px;
      ctx.beginPath();
      for (const list of byFill.values()) for (const item of list) ctx.rect(p.x[item]!, p.y[item]!, p.w[item]!, p.h[item]!);
      ctx.stroke();
      // Category stripe on the left of op nodes.
      for (const list of byFill.values()) {
        for (const item of list) {
          if (model.isGroup(item)) continue;
          ctx.fillStyle = palette.category[opCategory(model.graph.nodes[item]!.op)];
          ctx.fillRect(p.x[item]!, p.y[item]!, 4, p.h[item]!);
        }
      }
    }

    if (s >= 0.35) {
      ctx.textBaseline = 'middle';
      for (const [fill, list] of byFill) {
        const dark = luminance(fill) < 0.35;
        const textColor = dark === (palette.kind !== 'light') ? palette.foreground : dark ? '#ffffff' : '#1f1f1f';
        for (const item of list) this.drawLabel(scene, item, textColor, s);
      }
    }

    this.labelBoxes = [];
    if (labelled.length > 0 && labelled.length < 4000) {
      ctx.font = `10px ${scene.fontFamily}`;
      ctx.textBaseline = 'middle';
      const placed = new LabelSpace();
      for (const [edge, mx, my] of labelled) {
        const first = model.graph.tensors[edge.tensors[0]!]!;
        const label = edgeLabel(first, scene.dimAliases);
        const text = edge.tensors.length > 1 ? `${label} +${edge.tensors.length - 1}` : label;
        const w = ctx.measureText(text).width + 4;
        // Never on top of another label: try a little below or above, else leave this one out.
        const y = placed.place(mx + 3, my - 6, w, 12);
        if (y === undefined) continue;
        ctx.fillStyle = palette.background;
        ctx.fillRect(mx + 3, y, w, 12);
        ctx.fillStyle = palette.muted;
        ctx.fillText(text, mx + 5, y + 6);
        this.labelBoxes.push([mx + 3, y, w, 12]);
      }
    }

    // Selection and search hits on top.
    ctx.lineWidth = Math.max(2 * px, 2);
    if (scene.hits.size > 0) {
      ctx.strokeStyle = palette.searchHit;
      ctx.beginPath();
      for (const item of scene.hits) if (inView(item)) ctx.rect(p.x[item]! - 3 * px, p.y[item]! - 3 * px, p.w[item]! + 6 * px, p.h[item]! + 6 * px);
      ctx.stroke();
    }
    if (scene.selected >= 0 && p.w[scene.selected]! > 0) {
      const item = scene.selected;
      ctx.strokeStyle = palette.selection;
      ctx.lineWidth = Math.max(3 * px, 2.5);
      ctx.strokeRect(p.x[item]! - 2 * px, p.y[item]! - 2 * px, p.w[item]! + 4 * px, p.h[item]! + 4 * px);
    }
  }

  private drawLabel(scene: Scene, item: number, color: string, s: number): void {
    const { ctx } = this;
    const p = scene.placement;
    const model = scene.model;
    const x = p.x[item]!;
    const y = p.y[item]!;
    const w = p.w[item]!;
    const h = p.h[item]!;
    const maxChars = Math.max(3, Math.floor((w - 14) / 6.2));
    ctx.fillStyle = color;
    if (model.isGroup(item)) {
      const group = model.graph.groups[item - model.nodeCount]!;
      ctx.font = `600 12px ${scene.fontFamily}`;
      ctx.fillText(`▸ ${ellipsize(visibleText(group.name), maxChars)}`, x + 8, y + h / 2 - (s >= 0.6 ? 7 : 0), w - 12);
      if (s >= 0.6) {
        ctx.font = `10px ${scene.fontFamily}`;
        ctx.fillText(`${model.drawnSize[item - model.nodeCount]} nodes`, x + 8, y + h / 2 + 8, w - 12);
      }
      return;
    }
    const node = model.graph.nodes[item]!;
    const shortName = node.name.slice(node.name.lastIndexOf('/') + 1) || node.name;
    const showName = s >= 0.6 && node.kind === 'op' && shortName !== '' && shortName !== node.op;
    const rows = model.weightRows(item);
    const head = rows.length > 0 ? Math.min(h, nodeHeader) : h;
    ctx.font = `600 12px ${scene.fontFamily}`;
    const title = node.kind === 'op' ? node.op : node.name;
    ctx.fillText(ellipsize(visibleText(title), maxChars), x + 9, y + head / 2 - (showName ? 7 : 0), w - 14);
    if (showName) {
      ctx.font = `10px ${scene.fontFamily}`;
      ctx.fillText(ellipsize(visibleText(shortName), maxChars + 2), x + 9, y + head / 2 + 8, w - 14);
    }
    if (rows.length > 0 && s >= 0.6) this.drawWeightRows(rows, x, y + head, w, scene.fontFamily, maxChars);
  }

  /** Weight inputs inside a node box: `W 64×3×3×3`, `axes = [1]`, under a hairline. */
  private drawWeightRows(rows: readonly WeightRow[], x: number, top: number, w: number, fontFamily: string, maxChars: number): void {
    const { ctx } = this;
    const color = ctx.fillStyle;
    ctx.globalAlpha = 0.35;
    ctx.fillRect(x + 8, top, w - 14, 1 / this.camera.scale);
    ctx.globalAlpha = 0.85;
    ctx.font = `10px ${fontFamily}`;
    rows.forEach((row, k) => {
      const text = row.text ? `${row.label} ${row.text}` : row.label;
      ctx.fillText(ellipsize(visibleText(text), maxChars + 4), x + 9, top + 2 + weightRowHeight * (k + 0.5), w - 14);
    });
    ctx.globalAlpha = 1;
    ctx.fillStyle = color;
  }
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, v));
}
