import { strict as assert } from 'node:assert';
import { parseYaml } from '../../../src/core/diagnostics/yamlDocument';
import { quantizeInline, sqnrGateDiagnostic, type QuantizeFigures } from '../../../src/core/quantize/gateFinding';

const useCase = (gate: string) => ['name: x', 'model:', '  path: m.onnx', 'quantization:', '  precision: int8', ...(gate ? [`  minSqnrDb: ${gate}`] : []), 'targets: []', ''].join('\n');
const run: QuantizeFigures = { precision: 'int8', outputSqnrDb: 31.23, sizeBefore: 4 * 2 ** 20, sizeAfter: 2 ** 20, calibration: { synthetic: false, samples: 64, method: 'minmax', calibrated: 48, judged: 16 } };

describe('SQNR gate of a quantize run in the use case (editor)', () => {
  it('puts AIOS339 at the minSqnrDb value with the figure and the settings', () => {
    const d = sqnrGateDiagnostic(parseYaml(useCase('35')), run);
    assert.ok(d);
    assert.equal(d.code, 'AIOS339');
    assert.equal(d.severity, 'error');
    assert.deepEqual([d.range.start.line, d.range.start.character, d.range.end.character], [5, 13, 15]);
    assert.match(d.message, /^output SQNR 31\.2 dB < minSqnrDb 35 dB \(int8, minmax, on 16 held-out samples of 64\); /);
  });

  it('judges against the gate the file has now: a passing figure or a lowered gate give none', () => {
    assert.equal(sqnrGateDiagnostic(parseYaml(useCase('35')), { ...run, outputSqnrDb: 36 }), undefined);
    assert.equal(sqnrGateDiagnostic(parseYaml(useCase('30')), run), undefined);
    assert.equal(sqnrGateDiagnostic(parseYaml(useCase('')), run), undefined, 'no gate in the file or the run');
    assert.equal(sqnrGateDiagnostic(parseYaml(useCase('35')), { ...run, outputSqnrDb: null }), undefined, 'exact outputs pass any gate');
    assert.ok(sqnrGateDiagnostic(parseYaml(useCase('40')), { ...run, outputSqnrDb: 36 }));
  });

  it('a file without minSqnrDb is judged by the gate the run applied (the default), at the quantization key', () => {
    const d = sqnrGateDiagnostic(parseYaml(useCase('')), { ...run, minSqnrDb: 32 });
    assert.equal(d?.range.start.line, 3);
    assert.match(d?.message ?? '', /< minSqnrDb 32 dB/);
  });

  it('labels synthetic calibration data', () => {
    const d = sqnrGateDiagnostic(parseYaml(useCase('35')), { ...run, calibration: { synthetic: true, samples: 1, method: 'entropy', calibrated: 1, judged: 1 } });
    assert.match(d?.message ?? '', /\(int8, entropy, on the 1 synthetic calibration sample \(too few to hold any out\)\)/);
  });

  it('says which samples judged the result: none held out before calibration, or a run record from before held-out judging', () => {
    const fp16 = sqnrGateDiagnostic(parseYaml(useCase('35')), { ...run, precision: 'fp16', calibration: { synthetic: false, samples: 8, method: 'minmax', calibrated: 0, judged: 8 } });
    assert.match(fp16?.message ?? '', /\(fp16, minmax, on 8 samples\)/);
    const old = sqnrGateDiagnostic(parseYaml(useCase('35')), { ...run, calibration: { synthetic: false, samples: 64, method: 'minmax' } });
    assert.match(old?.message ?? '', /\(int8, minmax, on 64 samples\)/);
    const gptq = sqnrGateDiagnostic(parseYaml(useCase('35')), { ...run, precision: 'int4-weight', calibration: { synthetic: false, samples: 8, method: 'minmax', calibrated: 8, judged: 8 } });
    assert.match(gptq?.message ?? '', /\(int4-weight, minmax, on the 8 calibration samples \(none held out\)\)/);
  });

  it('shows the figure, the gate and the sizes on one line', () => {
    assert.equal(quantizeInline(parseYaml(useCase('35')), run), 'int8 · output SQNR 31.2 dB ✗ < 35 dB · 4.00 MiB → 1.00 MiB');
    assert.equal(quantizeInline(parseYaml(useCase('30')), run), 'int8 · output SQNR 31.2 dB ✓ ≥ 30 dB · 4.00 MiB → 1.00 MiB');
  });
});
