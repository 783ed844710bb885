import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cnnClassifier, tinyLlm } from '../../../src/core/onnx/fixtures';
import { writeModelFile } from '../../../src/core/onnx/write';
import { runCliCaptured } from '../cli/runCli';

interface InspectJson {
  irVersion: number;
  opsets: Record<string, number>;
  nodes: number;
  allNodes: number;
  opHistogram: Record<string, number>;
  inputs: Array<{ name: string; dtype: string; shape: Array<number | string | null> | null }>;
  outputs: Array<{ name: string; dtype: string; shape: Array<number | string | null> | null }>;
  initializers: number;
  params: number;
  flops: number;
  macs: number;
  unknownCostNodes: number;
  weightBytes: number;
  weightBytesByDtype: Record<string, number>;
  tensors?: Array<{ name: string; dtype: string; shape: Array<number | string | null> | null; kind: string }>;
}

describe('aios inspect and aios diff', function () {
  this.timeout(30_000);
  let dir: string;
  let cnn: string;
  let cnnWide: string;
  let llm: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'aios-inspect-'));
    cnn = join(dir, 'cnn.onnx');
    cnnWide = join(dir, 'cnn-wide.onnx');
    llm = join(dir, 'llm.onnx');
    await writeModelFile(cnnClassifier({ inputShape: ['batch', 3, 32, 32] }), cnn);
    await writeModelFile(cnnClassifier({ inputShape: ['batch', 3, 32, 32], stages: [8, 16, 48] }), cnnWide);
    await writeModelFile(tinyLlm(), llm);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('prints the SPEC fields as JSON, with shapes from --input', async () => {
    const run = await runCliCaptured(['inspect', cnn, '--json', '--shapes', '--input', 'input=2,3,32,32']);
    assert.equal(run.code, 0, run.stderr);
    const j = JSON.parse(run.stdout) as InspectJson;
    for (const key of ['irVersion', 'opsets', 'nodes', 'allNodes', 'opHistogram', 'inputs', 'outputs', 'initializers', 'params', 'flops', 'weightBytes', 'tensors']) {
      assert.ok(key in j, `--json has ${key}`);
    }
    assert.equal(j.opsets['ai.onnx'], 17);
    assert.equal(j.allNodes, j.nodes);
    assert.equal(Object.values(j.opHistogram).reduce((a, b) => a + b, 0), j.allNodes);
    assert.deepEqual(j.inputs, [{ name: 'input', dtype: 'float32', shape: [2, 3, 32, 32] }]);
    assert.equal(j.outputs[0]?.shape?.[0], 2);
    assert.equal(j.unknownCostNodes, 0);
    assert.ok(j.flops > 2 * j.macs - 1 && j.macs > 0);
    assert.equal(j.weightBytes, j.weightBytesByDtype['float32']);
    const every = j.tensors ?? [];
    assert.ok(every.filter((t) => t.kind === 'activation').every((t) => t.shape?.every((d) => typeof d === 'number')), 'all activation shapes concrete with --input');
    const batch1 = JSON.parse((await runCliCaptured(['inspect', cnn, '--json', '--input', 'input=1,3,32,32'])).stdout) as InspectJson;
    assert.equal(batch1.flops * 2, j.flops, 'FLOPs scale with the batch');
    assert.equal(batch1.params, j.params);
  });

  it('computes shapes and FLOPs for default sizes of dynamic dims without --input, and says which', async () => {
    const run = await runCliCaptured(['inspect', llm, '--json']);
    const j = JSON.parse(run.stdout) as InspectJson & { inputSizes: Array<{ name: string; shape: number[] | null; defaulted: boolean }> };
    assert.deepEqual(j.inputs.find((i) => i.name === 'input_ids')?.shape, ['batch', 'seq'], 'inputs keep their declared dims');
    assert.deepEqual(j.inputSizes.find((i) => i.name === 'input_ids'), { name: 'input_ids', shape: [1, 128], defaulted: true });
    assert.deepEqual(j.outputs.find((o) => o.name === 'logits')?.shape, [1, 128, 64]);
    const given = JSON.parse((await runCliCaptured(['inspect', llm, '--json', '--input', 'input_ids=1,128'])).stdout) as InspectJson;
    assert.equal(j.flops, given.flops, 'the defaults are batch 1 and sequence 128');
    assert.ok(j.flops > 0);
    const human = await runCliCaptured(['inspect', llm]);
    assert.match(human.stdout, /^Compute +[\d.]+ [kMGT]?FLOPs, .* for input_ids=1×128, past_key_values\.0\.key=1×2×0×8 and 3 more inputs \(see Inputs\) \(default sizes for dynamic dims, batch 1; set them with --input input_ids=1,128\)$/m);
    assert.match(human.stdout, /^Inputs\nname +dtype +shape +computed for\n/m);
    assert.match(human.stdout, /^input_ids +int64 +\[batch, seq\] +1×128 \(default\)$/m);
  });

  it('exits 2 with one line for missing, malformed and truncated models and bad --input', async () => {
    const truncated = join(dir, 'truncated.onnx');
    writeFileSync(truncated, readFileSync(cnn).subarray(0, 200));
    const cases: Array<[string[], RegExp]> = [
      [['inspect', join(dir, 'missing.onnx')], /missing\.onnx: no such file or folder$/],
      [['inspect', truncated], /truncated\.onnx: .* at byte \d+/],
      [['inspect', cnn, '--input', 'input:1,3'], /bad --input 'input:1,3': expected NAME=d0,d1/],
      [['inspect', cnn, '--input', 'input=1,x y'], /dim 'x y' is neither/],
      [['inspect', cnn, '--input', 'image=1,3,32,32'], /no input named 'image' \(inputs: input\)/],
      [['inspect', cnn, '--input', 'input=1,4,32,32'], /dim 1 is fixed at 3/],
      [['diff', cnn, truncated], /truncated\.onnx: /],
    ];
    for (const [argv, message] of cases) {
      const run = await runCliCaptured(argv);
      assert.equal(run.code, 2, `${argv.join(' ')}: ${run.stderr}`);
      assert.equal(run.stdout, '');
      assert.equal(run.stderr.trimEnd().split('\n').length, 1, run.stderr);
      assert.match(run.stderr.trimEnd(), new RegExp(`^aios: .*${message.source}`));
    }
  });

  it('diff exits 0 for identical models and 1 with the changes listed when they differ', async () => {
    const same = await runCliCaptured(['diff', cnn, cnn]);
    assert.equal(same.code, 0);
    assert.match(same.stdout, /structurally identical/);
    const differ = await runCliCaptured(['diff', cnn, cnnWide, '--json']);
    assert.equal(differ.code, 1);
    const d = JSON.parse(differ.stdout) as { added: unknown[]; removed: unknown[]; changed: Array<{ node: string; what: string[] }> };
    assert.deepEqual([d.added, d.removed], [[], []]);
    assert.ok(d.changed.length > 0);
    assert.ok(d.changed.some((c) => c.what.some((w) => /weight .*shape \[48,16,3,3\]|shape \[32,16,3,3\] -> \[48,16,3,3\]/.test(w))), JSON.stringify(d.changed.slice(0, 3)));
    const human = await runCliCaptured(['diff', cnn, cnnWide]);
    assert.equal(human.code, 1);
    assert.match(human.stdout, /^~ \S+ \(Conv\)$/m);
    assert.match(human.stdout, /\d+ added, \d+ removed, \d+ changed nodes/);
  });

  it('diff --json gives max abs difference and relative L2 per changed weight, and no node pairing', async () => {
    const reseeded = join(dir, 'cnn-seed2.onnx');
    await writeModelFile(cnnClassifier({ inputShape: ['batch', 3, 32, 32], seed: 2 }), reseeded);
    const run = await runCliCaptured(['diff', cnn, reseeded, '--json']);
    assert.equal(run.code, 1);
    const d = JSON.parse(run.stdout) as { pairs?: unknown; changed: Array<{ node: string; what: string[]; weights?: Array<{ tensor: string; input: number; maxAbsDiff: number; relativeL2: number | null }> }> };
    assert.equal(d.pairs, undefined);
    const conv = d.changed.find((c) => c.weights?.some((w) => w.input === 1));
    assert.ok(conv, JSON.stringify(d.changed.slice(0, 2)));
    for (const w of conv.weights!) {
      assert.ok(w.maxAbsDiff > 0 && w.relativeL2 !== null && w.relativeL2 > 0, JSON.stringify(w));
      assert.ok(conv.what.some((line) => line.startsWith(`weight ${w.tensor} (input ${w.input}): content changed (max |Δ| `)), conv.what.join('; '));
    }
  });
});
