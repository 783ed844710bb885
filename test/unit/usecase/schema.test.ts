import { strict as assert } from 'node:assert';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { jsonSchemaFiles } from '../../../src/core/schemas/jsonSchemas';
import { describeAt } from '../../../src/core/diagnostics/schemaWalk';
import { useCaseSchema } from '../../../src/core/usecase/schema';
import { socSchema } from '../../../src/core/soc/schema';

const repo = join(__dirname, '..', '..', '..', '..');

interface JsonSchemaNode {
  description?: string;
  properties?: Record<string, JsonSchemaNode>;
  items?: JsonSchemaNode;
  additionalProperties?: JsonSchemaNode | boolean;
  anyOf?: JsonSchemaNode[];
}

/** Every property of every object, with its path. */
function properties(node: JsonSchemaNode, path = ''): Array<{ path: string; node: JsonSchemaNode }> {
  const out: Array<{ path: string; node: JsonSchemaNode }> = [];
  for (const [key, child] of Object.entries(node.properties ?? {})) {
    out.push({ path: `${path}.${key}`, node: child }, ...properties(child, `${path}.${key}`));
  }
  if (node.items) out.push(...properties(node.items, `${path}[]`));
  if (typeof node.additionalProperties === 'object') out.push(...properties(node.additionalProperties, `${path}.*`));
  for (const option of node.anyOf ?? []) out.push(...properties(option, path));
  return out;
}

describe('use-case and SoC schemas', () => {
  it('committed schemas/*.json are what the zod schemas generate (run `npm run schemas` after changing them)', () => {
    for (const [name, text] of Object.entries(jsonSchemaFiles())) {
      const committed = readFileSync(join(repo, 'schemas', name), 'utf8');
      assert.ok(committed === text, `schemas/${name} is stale: run npm run schemas and commit the result`);
    }
  });

  it('documents every key (hover and JSON Schema use the text)', () => {
    for (const [name, text] of Object.entries(jsonSchemaFiles())) {
      const all = properties(JSON.parse(text) as JsonSchemaNode);
      assert.ok(all.length > 30, `${name} has ${all.length} properties`);
      const undocumented = all.filter((p) => !p.node.description).map((p) => p.path);
      assert.deepEqual(undocumented, [], `${name}: keys without a description`);
    }
  });

  it('exposes doc text, keys, enum values and quantity kinds along YAML paths', () => {
    const latency = describeAt(useCaseSchema, ['targets', 0, 'budgets', 'latency']);
    assert.equal(latency?.kind, 'quantity');
    assert.equal(latency?.quantity, 'time');
    assert.match(latency?.description ?? '', /latency/i);
    const domain = describeAt(useCaseSchema, ['domain']);
    assert.deepEqual(domain?.values, ['cockpit', 'adas', 'body', 'chassis', 'powertrain']);
    assert.equal(domain?.required, true);
    const root = describeAt(useCaseSchema, []);
    assert.ok(root?.keys?.some((k) => k.name === 'model' && k.required));
    assert.ok(root?.keys?.some((k) => k.name === 'dataLoop' && !k.required));
    assert.equal(describeAt(useCaseSchema, ['quantization', 'precision'])?.defaultValue, 'int8');
    const peak = describeAt(socSchema, ['engines', 0, 'precisions', 'int8', 'peak', 'value']);
    assert.equal(peak?.quantity, 'compute');
    assert.equal(describeAt(useCaseSchema, ['no', 'such']), undefined);
  });

  it('accepts every sample and fills in defaults', () => {
    const samples = join(repo, 'samples');
    const files = readdirSync(samples, { recursive: true }).map(String).filter((f) => f.endsWith('.usecase.yaml'));
    assert.ok(files.length >= 5);
    for (const file of files) {
      const result = useCaseSchema.safeParse(parse(readFileSync(join(samples, file), 'utf8')));
      assert.ok(result.success, `${file}: ${result.success ? '' : JSON.stringify(result.error.issues)}`);
      assert.ok(result.data.targets.every((t) => !t.budgets?.latency || t.budgets.latency.kind === 'time'));
    }
    const minimal = useCaseSchema.parse({ apiVersion: 'aios/v1', kind: 'UseCase', name: 'x', domain: 'body', model: { path: 'm.onnx' }, quantization: {} });
    assert.equal(minimal.quantization?.precision, 'int8');
    assert.deepEqual(minimal.targets, []);
  });
});
