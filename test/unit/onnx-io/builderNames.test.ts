import { strict as assert } from 'node:assert';
import { ModelBuilder } from '../../../src/core/onnx/builder';
import { DataType } from '../../../src/core/onnx/model';

/** `count` auto-named Relu nodes in one scope: every one after the first needs a fresh suffix. */
function buildRelus(count: number): { names: string[]; cpuMs: number } {
  const started = process.cpuUsage();
  const b = new ModelBuilder({ name: 'relus', seed: 1 });
  let x = b.input('x', DataType.FLOAT, [1, 4]);
  for (let i = 0; i < count; i++) x = b.op('Relu', [x]);
  const used = process.cpuUsage(started);
  return { names: b.build().nodes.map((n) => n.name), cpuMs: (used.user + used.system) / 1000 };
}

describe('ONNX builder: automatic node names', () => {
  it('numbers repeated names as before: the smallest free suffix, skipping names taken explicitly', () => {
    const b = new ModelBuilder({ name: 'names', seed: 1 });
    const x = b.input('x', DataType.FLOAT, [1]);
    b.op('Relu', [x], undefined, 'Relu_2');
    const names = [b.op('Relu', [x]), b.op('Relu', [x]), b.op('Relu', [x]), b.op('Relu', [x])].map((o) => o.replace(/_output_0$/, ''));
    assert.deepEqual(names, ['Relu', 'Relu_1', 'Relu_3', 'Relu_4']);
    b.scope('block', () => b.op('Relu', [x]));
    assert.deepEqual(
      b.build().nodes.map((n) => n.name),
      ['Relu_2', 'Relu', 'Relu_1', 'Relu_3', 'Relu_4', '/block/Relu'],
    );
  });

  it('names 50,000 nodes of one op in linear time (50k costs about 10x 5k, not 100x)', function () {
    this.timeout(120_000);
    buildRelus(2_000); // warm-up: compile the builder before timing
    // CPU time, best of three: other processes on the machine do not count against it.
    const small = Math.min(...[0, 1, 2].map(() => buildRelus(5_000).cpuMs));
    const big = buildRelus(50_000);
    assert.equal(new Set(big.names).size, 50_000);
    assert.equal(big.names[49_999], 'Relu_49999');
    const ratio = big.cpuMs / Math.max(small, 1);
    // Linear gives ~10; the former suffix search (quadratic) gave > 100 and 20k nodes never finished.
    assert.ok(ratio < 40, `50k nodes took ${big.cpuMs.toFixed(0)} ms of CPU, ${ratio.toFixed(1)}x the ${small.toFixed(0)} ms of 5k`);
  });
});
