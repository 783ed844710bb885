import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeModelFile } from '../../../src/core/onnx/write';
import { profileResultSchema } from '../../../src/core/profile/result';
import { runCliCaptured } from '../cli/runCli';
import { ModelBuilder } from '../../../src/core/onnx/builder';
import { DataType } from '../../../src/core/onnx/model';
import { convModel } from './fixtures';

describe('aios profile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'aios-profile-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  before(async () => {
    mkdirSync(join(dir, '.aios'));
    mkdirSync(join(dir, 'models'));
    await writeModelFile(convModel(['Sigmoid']), join(dir, 'models', 'conv.onnx'));
    const b = new ModelBuilder({ name: 'custom', seed: 1 });
    b.opsetImport('com.example', 1);
    b.output(b.node('Mystery', [b.input('x', DataType.FLOAT, [1, 1000])], { domain: 'com.example', name: '/mystery' })[0]!, DataType.FLOAT);
    await writeModelFile(b.buildModel(), join(dir, 'models', 'custom.onnx'));
  });

  const useCase = (latency: string) =>
    [
      'apiVersion: aios/v1',
      'kind: UseCase',
      'name: conv',
      'domain: adas',
      'model:',
      '  path: models/conv.onnx',
      'quantization: {precision: int8}',
      'targets:',
      '  - soc: qualcomm-sa8295p',
      `    budgets: {latency: ${latency}, fps: 30}`,
      'deployment: {ecu: front-ecu, placement: vehicle}',
      '',
    ].join('\n');

  it('profiles a model on targets and prints the SPEC --json shape with a run id', async function () {
    // host-cpu is calibrated by micro-benchmarks on first use on a machine (~15 s; longer under load).
    this.timeout(300_000);
    const run = await runCliCaptured(['profile', 'models/conv.onnx', '--target', 'ti-tda4vm', '--target', 'host-cpu', '--json'], dir);
    assert.equal(run.code, 0, run.stderr);
    const result = profileResultSchema.parse(JSON.parse(run.stdout));
    assert.deepEqual(result.results.map((r) => r.target), ['ti-tda4vm', 'host-cpu']);
    assert.equal(result.results[0]?.precision, 'fp32');
    assert.ok(result.runId);
    for (const r of result.results) assert.ok(r.latencyMs > 0 && r.layers.length > 0 && r.peakMemoryBytes > 0);
  });

  it('checks a use case against its budgets: exit 1 when exceeded, 0 when they fit', async () => {
    writeFileSync(join(dir, 'tight.usecase.yaml'), useCase('1us'));
    const tight = await runCliCaptured(['profile', 'tight.usecase.yaml', '--json'], dir);
    assert.equal(tight.code, 1, tight.stderr);
    const r = profileResultSchema.parse(JSON.parse(tight.stdout)).results[0];
    assert.equal(r?.precision, 'int8');
    assert.equal(r?.fits.latency, false);
    writeFileSync(join(dir, 'tight.usecase.yaml'), useCase('1s'));
    const loose = await runCliCaptured(['profile', 'tight.usecase.yaml'], dir);
    assert.equal(loose.code, 0, loose.stderr);
    assert.match(loose.stdout, /qualcomm-sa8295p +int8 +[\d.]+ ms ✓ of 1000/);
  });

  it('refuses an unknown target with a did-you-mean, exit 2', async () => {
    const run = await runCliCaptured(['profile', 'models/conv.onnx', '--target', 'ti-tda4v'], dir);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /unknown target 'ti-tda4v'; did you mean 'ti-tda4vm'\?/);
    assert.equal(run.stdout, '');
  });

  it('estimates an op of unknown cost at a stated floor and says so, never a silent 0', async () => {
    const run = await runCliCaptured(['profile', 'models/custom.onnx', '--target', 'ti-tda4vm'], dir);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /warning: 1 Mystery node of unknown cost .*a floor of one op per element plus the per-kernel overhead; the latency is a lower bound/);
    const json = profileResultSchema.parse(JSON.parse((await runCliCaptured(['profile', 'models/custom.onnx', '--target', 'ti-tda4vm', '--json'], dir)).stdout));
    const layer = json.results[0]?.layers[0];
    assert.ok(layer && layer.ms > 0, 'charged more than nothing');
    assert.equal(json.results[0]?.warnings.find((w) => w.code === 'unknown-cost')?.node, '/mystery');
  });
});
