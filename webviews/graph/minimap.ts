import type { Placement } from './layoutClient';
import type { Camera } from './renderer';
import type { Palette } from './palette';

/** Overview of the whole laid-out graph with the viewport; click or drag to move there. */
export class Minimap {
  private readonly ctx: CanvasRenderingContext2D;
  private readonly snapshot: HTMLCanvasElement;
  private scale = 1;
  private ox = 0;
  private oy = 0;

  constructor(
    readonly canvas: HTMLCanvasElement,
    private readonly width: number,
    private readonly height: number,
    private readonly onNavigate: (wx: number, wy: number) => void,
  ) {
    const dpr = window.devicePixelRatio || 1;
    canvas.width = width * dpr;
    canvas.height = height * dpr;
    this.ctx = canvas.getContext('2d')!;
    this.ctx.scale(dpr, dpr);
    this.snapshot = document.createElement('canvas');
    this.snapshot.width = width * dpr;
    this.snapshot.height = height * dpr;
    let dragging = false;
    const navigate = (event: PointerEvent) => {
      const rect = canvas.getBoundingClientRect();
      this.onNavigate((event.clientX - rect.left - this.ox) / this.scale, (event.clientY - rect.top - this.oy) / this.scale);
    };
    canvas.addEventListener('pointerdown', (event) => {
      dragging = true;
      canvas.setPointerCapture(event.pointerId);
      navigate(event);
      event.stopPropagation();
    });
    canvas.addEventListener('pointermove', (event) => dragging && navigate(event));
    canvas.addEventListener('pointerup', () => (dragging = false));
  }

  /** Redraws the cached overview (after a layout or colour change). */
  rebuild(placement: Placement, items: Int32Array, fillOf: (item: number) => string, palette: Palette): void {
    const dpr = window.devicePixelRatio || 1;
    const ctx = this.snapshot.getContext('2d')!;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.fillStyle = palette.background;
    ctx.fillRect(0, 0, this.width, this.height);
    this.scale = Math.min((this.width - 8) / Math.max(1, placement.width), (this.height - 8) / Math.max(1, placement.height));
    this.ox = (this.width - placement.width * this.scale) / 2;
    this.oy = (this.height - placement.height * this.scale) / 2;
    const byFill = new Map<string, number[]>();
    for (const item of items) {
      const fill = fillOf(item);
      const list = byFill.get(fill) ?? [];
      list.push(item);
      byFill.set(fill, list);
    }
    for (const [fill, list] of byFill) {
      ctx.fillStyle = fill === palette.nodeFill ? palette.muted : fill;
      ctx.beginPath();
      for (const item of list) {
        ctx.rect(this.ox + placement.x[item]! * this.scale, this.oy + placement.y[item]! * this.scale, Math.max(1, placement.w[item]! * this.scale), Math.max(1, placement.h[item]! * this.scale));
      }
      ctx.fill();
    }
  }

  drawViewport(camera: Camera, viewWidth: number, viewHeight: number, palette: Palette): void {
    const ctx = this.ctx;
    ctx.clearRect(0, 0, this.width, this.height);
    ctx.drawImage(this.snapshot, 0, 0, this.width, this.height);
    const x = this.ox + (-camera.tx / camera.scale) * this.scale;
    const y = this.oy + (-camera.ty / camera.scale) * this.scale;
    ctx.strokeStyle = palette.selection;
    ctx.lineWidth = 1.5;
    ctx.strokeRect(x, y, (viewWidth / camera.scale) * this.scale, (viewHeight / camera.scale) * this.scale);
  }
}
