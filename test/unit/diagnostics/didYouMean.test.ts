import { strict as assert } from 'node:assert';
import { nearest } from '../../../src/core/diagnostics/didYouMean';
import { builtinCatalog } from '../../../src/core/soc/catalog';
import { checkUseCase } from '../../../src/core/usecase/validateUseCase';
import { testHost } from '../usecase/workspace';

const ids = builtinCatalog(testHost).entries().map((e) => e.target.id);

describe('did you mean', () => {
  it('finds target ids from typos, fragments and ids missing a word', () => {
    assert.deepEqual(nearest('qualcom-sa8295p', ids)[0], 'qualcomm-sa8295p');
    assert.deepEqual(nearest('sa8295', ids)[0], 'qualcomm-sa8295p');
    assert.deepEqual(nearest('nvidia-orin', ids), ['nvidia-drive-orin']);
    assert.deepEqual(nearest('drive-thor', ids), ['nvidia-drive-thor']);
  });

  it('suggests nothing between words with nothing in common', () => {
    assert.deepEqual(nearest('no', ['QM', 'A', 'B']), []);
    assert.deepEqual(nearest('Or', ['BatchNormalization']), []);
    assert.deepEqual(nearest('acme-z9', ids), []);
  });

  it('an unknown target says its nearest id, and a budget with a bad unit does not hide fps x latency > 1 s', () => {
    const text = `apiVersion: aios/v1
kind: UseCase
name: x
domain: cockpit
model: {path: m.onnx}
targets:
  - soc: nvidia-orin
  - soc: ti-tda4vm
    budgets: {latency: 50ms, fps: 30, memory: 64}
`;
    const found = checkUseCase(text, { catalog: builtinCatalog(testHost), filePath: '/w/x.usecase.yaml' }).diagnostics.map((d) => `${d.code}@${d.range.start.line + 1} ${d.message}`);
    assert.ok(found.some((d) => /^AIOS308@7 .*did you mean 'nvidia-drive-orin'/.test(d)), found.join('\n'));
    assert.ok(found.some((d) => d.startsWith('AIOS316@9')), found.join('\n'));
    assert.ok(found.some((d) => d.startsWith('AIOS205@9')), found.join('\n'));
  });
});
