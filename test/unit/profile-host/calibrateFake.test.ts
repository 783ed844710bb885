import { strict as assert } from 'node:assert';
import { writeFileSync } from 'node:fs';
import { readModelBytes } from '../../../src/core/onnx/read';
import { calibrateHost } from '../../../src/core/profile/calibrate/calibrateHost';
import type { OrtModule } from '../../../src/core/profile/measure/measureModel';
import { hostCalibrationSchema } from '../../../src/core/soc/hostCalibration';

/** A kernel's time in the fake: its base time, 5x in every fourth run (as if another process preempted it). */
const baseUs = (index: number) => 40 + 10 * (index % 7);
const runUs = (index: number, run: number) => baseUs(index) * (run % 4 === 3 ? 5 : 1);

/**
 * onnxruntime-node as far as the calibration uses it. Plain sessions advance the clock by a
 * fixed cost per run and per node; profiling sessions write a Chrome trace with one event per
 * node per run, named as onnxruntime names them.
 */
function fakeOrt(clock: { ms: number }): OrtModule {
  class Tensor {
    constructor(
      readonly type: string,
      readonly data: unknown,
      readonly dims: readonly number[],
    ) {}
  }
  const InferenceSession = {
    async create(bytes: Uint8Array, options: { enableProfiling?: boolean; profileFilePrefix?: string }) {
      const nodes = readModelBytes(bytes).graph.nodes;
      const events: object[] = [];
      let run = 0;
      let ts = 0;
      return {
        async run() {
          if (!options.enableProfiling) {
            clock.ms += 0.02 + (nodes.length - 1) * 0.0005;
            return {};
          }
          const start = ts;
          nodes.forEach((n, i) => {
            const dur = runUs(i, run);
            events.push({ cat: 'Node', name: `${n.name}_kernel_time`, ph: 'X', ts, dur, args: { op_name: n.opType, provider: 'CPUExecutionProvider' } });
            ts += dur;
          });
          events.push({ cat: 'Session', name: 'model_run', ph: 'X', ts: start, dur: ts - start });
          ts += 10;
          run++;
          clock.ms += 100;
          return {};
        },
        endProfiling() {
          writeFileSync(`${options.profileFilePrefix}_fake.json`, JSON.stringify(events));
          return '';
        },
        async release() {},
      };
    },
  };
  return { Tensor, InferenceSession, env: { versions: { node: '1.30.0' } } } as unknown as OrtModule;
}

describe('host-cpu calibration with a fake onnxruntime and clock', function () {
  // Building and shape-inferring the ~40 MB suite model takes a few seconds, several times that on a loaded machine.
  this.timeout(300_000);
  it('takes each kernel\'s lower quartile over the runs, and the fixed costs from medians of alternated runs', async () => {
    const clock = { ms: 0 };
    const stages: string[] = [];
    const c = await calibrateHost('1.30.0', {
      cpuModel: 'Fake CPU',
      logicalCores: 2,
      cacheBytes: 2 ** 21,
      nchwcBlock: 16,
      budgetMs: 1000,
      minRuns: 7,
      loadOrt: async () => fakeOrt(clock),
      now: () => clock.ms,
      date: () => new Date('2026-12-07T21:00:00Z'),
      progress: (s) => stages.push(s),
    });
    assert.equal(hostCalibrationSchema.safeParse(c).success, true);
    assert.equal(c.runs, 10, '100 ms per run: the 1000 ms budget ends after 10 runs');
    assert.ok(Math.abs(c.overheadS - 0.5e-6) < 1e-12, `per node ${c.overheadS}`);
    assert.ok(Math.abs(c.runS - 19.5e-6) < 1e-12, `per run ${c.runS}`);
    assert.equal(c.measuredAt, '2026-12-07T21:00:00.000Z');
    assert.equal(stages.at(-1), 'done');
    // Every benchmark's time is its base time: the preempted runs (1 in 4) do not move the lower quartile.
    const allowed = new Set([40, 50, 60, 70, 80, 90, 100].map((us) => us / 1000));
    for (const b of c.benchmarks) assert.ok(allowed.has(Number(b.ms.toFixed(6))), `${b.name}: ${b.ms} ms`);
    for (const [i, k] of c.kernels.entries()) assert.ok(Math.abs(k.rate - c.benchmarks[i]!.work / (c.benchmarks[i]!.ms / 1000)) < 1e-6 * k.rate);
    const kinds = new Set(c.kernels.map((k) => k.kind));
    for (const kind of ['conv', 'conv1x1', 'depthwise', 'convtranspose', 'matmul', 'rnn', 'conv-int8', 'matmul-int8', 'resize', 'copy', 'quantize', 'cast', 'pool', 'softmax', 'normalization'] as const) {
      assert.ok(kinds.has(kind), `the suite measures ${kind}`);
    }
    assert.ok(!c.benchmarks.some((b) => b.name.endsWith(': Slice') && !b.name.startsWith('Slice')), 'the Slices that shrink the outputs are not benchmarks');
  });
});
