/**
 * Rectangles already used by edge labels in one frame, bucketed on a grid so each placement
 * checks only its neighbourhood. `place` finds a free spot at, just below or just above the
 * wanted position, or says there is none (the label is then left out: labels never overlap).
 */
export class LabelSpace {
  private readonly cells = new Map<string, Array<readonly [number, number, number, number]>>();
  private static readonly cellW = 64;
  private static readonly cellH = 16;

  place(x: number, y: number, w: number, h: number): number | undefined {
    for (const dy of [0, h + 1, -(h + 1)]) {
      if (!this.overlaps(x, y + dy, w, h)) {
        this.add(x, y + dy, w, h);
        return y + dy;
      }
    }
    return undefined;
  }

  private keys(x: number, y: number, w: number, h: number): string[] {
    const keys: string[] = [];
    const { cellW, cellH } = LabelSpace;
    for (let cx = Math.floor(x / cellW); cx <= Math.floor((x + w) / cellW); cx++) {
      for (let cy = Math.floor(y / cellH); cy <= Math.floor((y + h) / cellH); cy++) keys.push(`${cx},${cy}`);
    }
    return keys;
  }

  private overlaps(x: number, y: number, w: number, h: number): boolean {
    for (const key of this.keys(x, y, w, h)) {
      for (const [bx, by, bw, bh] of this.cells.get(key) ?? []) {
        if (x < bx + bw && bx < x + w && y < by + bh && by < y + h) return true;
      }
    }
    return false;
  }

  private add(x: number, y: number, w: number, h: number): void {
    for (const key of this.keys(x, y, w, h)) {
      const list = this.cells.get(key);
      if (list) list.push([x, y, w, h]);
      else this.cells.set(key, [[x, y, w, h]]);
    }
  }
}
