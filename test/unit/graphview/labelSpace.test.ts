import { strict as assert } from 'node:assert';
import { LabelSpace } from '../../../src/shared/labelSpace';

describe('edge label placement', () => {
  it('never places two labels on top of each other: it moves one below or above, else leaves it out', () => {
    const space = new LabelSpace();
    const boxes: Array<[number, number, number, number]> = [];
    // 400 labels wanting spots on a tight grid, many at the very same point (fans of parallel edges).
    for (let i = 0; i < 400; i++) {
      const x = (i % 7) * 30;
      const y = Math.floor(i / 35) * 10;
      const w = 40 + (i % 5) * 8;
      const placed = space.place(x, y, w, 12);
      if (placed !== undefined) boxes.push([x, placed, w, 12]);
    }
    for (let a = 0; a < boxes.length; a++) {
      for (let b = a + 1; b < boxes.length; b++) {
        const [ax, ay, aw, ah] = boxes[a]!;
        const [bx, by, bw, bh] = boxes[b]!;
        assert.ok(!(ax < bx + bw && bx < ax + aw && ay < by + bh && by < ay + ah), `labels ${a} and ${b} overlap`);
      }
    }
    assert.ok(boxes.length > 20, `${boxes.length} labels placed`);
    assert.ok(boxes.length < 400, 'some were left out');
  });

  it('keeps a label where it asked to be when there is room, and moves the second of two to just below', () => {
    const space = new LabelSpace();
    assert.equal(space.place(100, 50, 60, 12), 50);
    assert.equal(space.place(120, 50, 60, 12), 63);
    assert.equal(space.place(120, 50, 60, 12), 37);
    assert.equal(space.place(120, 50, 60, 12), undefined);
  });
});
