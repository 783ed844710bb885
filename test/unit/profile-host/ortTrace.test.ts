import { strict as assert } from 'node:assert';
import { parseOrtTrace, TraceFormatError } from '../../../src/core/profile/measure/ortTrace';

/** Events in the shape onnxruntime-node 1.30 writes (trimmed args). */
function kernel(name: string, op: string, ts: number, dur: number) {
  return { cat: 'Node', pid: 1, tid: 1, dur, ts, ph: 'X', name: `${name}_kernel_time`, args: { op_name: op, provider: 'CPUExecutionProvider' } };
}
const run = (ts: number, dur: number) => ({ cat: 'Session', pid: 1, tid: 1, dur, ts, ph: 'X', name: 'model_run', args: {} });

describe('onnxruntime profile (Chrome trace) parsing', () => {
  const events = [
    { cat: 'Session', pid: 1, tid: 1, dur: 500, ts: 0, ph: 'X', name: 'session_initialization', args: {} },
    run(1000, 300),
    kernel('/a/conv', 'Conv', 1010, 200), // first run: allocations, slow
    { cat: 'Node', pid: 1, tid: 1, dur: 1, ts: 1009, ph: 'X', name: '/a/conv_fence_before', args: { op_name: 'Conv' } },
    kernel('/a/relu', 'Relu', 1220, 20),
    run(2000, 100),
    kernel('/a/conv', 'Conv', 2010, 60),
    kernel('/a/relu', 'Relu', 2080, 10),
    kernel('/a/relu', 'Relu', 2095, 4), // a second execution in the same run (loop body): summed
    run(3000, 100),
    kernel('/a/conv', 'Conv', 3010, 80),
    kernel('/a/relu', 'Relu', 3095, 12),
    run(4000, 100),
    kernel('/a/conv', 'Conv', 4010, 70),
    kernel('/a/relu', 'Relu', 4090, 16),
  ];

  it('gives each kernel its median time per run, in order of first execution', () => {
    const trace = parseOrtTrace(JSON.stringify(events));
    assert.deepEqual(
      trace.kernels.map((k) => [k.name, k.op, k.provider, k.ms, k.count]),
      [
        ['/a/conv', 'Conv', 'CPUExecutionProvider', 0.075, 4],
        ['/a/relu', 'Relu', 'CPUExecutionProvider', 0.015, 5],
      ],
    );
    assert.deepEqual(trace.runsMs, [0.3, 0.1, 0.1, 0.1]);
  });

  it('leaves out the first runs when asked (a first run pays for allocations)', () => {
    const trace = parseOrtTrace(JSON.stringify(events), { skipRuns: 1 });
    assert.deepEqual(trace.kernels.map((k) => [k.name, k.ms, k.count]), [['/a/conv', 0.07, 3], ['/a/relu', 0.014, 4]]);
    assert.deepEqual(trace.runsMs, [0.1, 0.1, 0.1]);
  });

  it('reads the {traceEvents: [...]} form and ignores events it does not know', () => {
    const trace = parseOrtTrace(JSON.stringify({ traceEvents: [kernel('x', 'Add', 0, 5), { ph: 'M' }, 42, { cat: 'Node', name: 'y_kernel_time' }] }));
    assert.deepEqual(trace.kernels.map((k) => [k.name, k.ms]), [['x', 0.005]]);
  });

  it('says what is wrong with a file that is not a trace', () => {
    assert.throws(() => parseOrtTrace('[{"cat": "Node"'), (e: unknown) => e instanceof TraceFormatError && /not JSON.*cut short/.test(e.message));
    assert.throws(() => parseOrtTrace('{"events": 1}'), (e: unknown) => e instanceof TraceFormatError && /not a Chrome trace/.test(e.message));
  });
});
