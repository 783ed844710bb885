import { strict as assert } from 'node:assert';
import { parseYaml } from '../../../src/core/diagnostics/yamlDocument';

describe('hardening: YAML duplicate keys are found in one pass', () => {
  it('reports each of 50,000 repeated keys once, pointing at the first occurrence', () => {
    const text = `apiVersion: aios/v1\nkind: UseCase\nname: dup\n${'name: dup\n'.repeat(50_000)}model:\n  path: a.onnx\n  path: b.onnx\n`;
    // The yaml library's own uniqueKeys check compares every pair (over 30 s for 100,000 keys).
    const parsed = parseYaml(text);
    const duplicates = parsed.syntaxDiagnostics.filter((d) => d.code === 'AIOS103');
    assert.equal(duplicates.length, 50_001);
    assert.match(duplicates[0]!.message, /duplicate key 'name' \(first on line 3\)/);
    assert.equal(duplicates[0]!.range.start.line, 3);
    assert.match(duplicates.at(-1)!.message, /duplicate key 'path' \(first on line 50005\)/);
  });
});
