import { DataType, type Model } from '../../../src/core/onnx/model';
import { ModelBuilder, attr } from '../../../src/core/onnx/builder';
import { cnnClassifier } from '../../../src/core/onnx/fixtures';

/** Names that would run script, break JSON or hide text if they were ever treated as markup. */
export const hostileNames = {
  img: '<img src=x onerror=alert(1)>',
  json: '"}]',
  control: 'ctl\u0007bell\u0000nul\u001bend',
  script: '</script><script>alert(2)</script>',
  entity: '&lt;b&gt;&amp;',
} as const;

/** A small model whose node, tensor, op and doc strings are all hostile. */
export function hostileModel(): Model {
  const b = new ModelBuilder({ name: '<svg onload=alert(3)>', seed: 7, docString: '<script>alert("doc")</script>' });
  const x = b.input(hostileNames.json, DataType.FLOAT, [1, 4]);
  const w = b.weight(hostileNames.entity, [4, 4], 0.5);
  const [a] = b.node('MatMul', [x, w], { name: hostileNames.img, outputs: [hostileNames.script] });
  const [c] = b.node('Relu', [a!], { name: hostileNames.control });
  const [d] = b.node('<b>Bold</b>', [c!], { name: 'custom', domain: 'evil.<i>' });
  b.output(d!, DataType.FLOAT, [1, 4]);
  const model = b.buildModel();
  const nodes = model.graph.nodes.map((n) => (n.name === hostileNames.img ? { ...n, docString: '<img src=y onerror=alert(4)>\nsecond line' } : n));
  return { ...model, graph: { ...model.graph, nodes } };
}

/** x -> If(cond) { then: Relu, else: Neg } -> y, with a condition input. */
export function ifModel(): Model {
  const b = new ModelBuilder({ name: 'if_model', seed: 3 });
  const x = b.input('x', DataType.FLOAT, [2, 3]);
  const cond = b.input('cond', DataType.BOOL, []);
  const thenBranch = b.subgraph('then_body', (g) => {
    const r = g.op('Relu', [x], undefined, 'then_relu');
    g.output(r, DataType.FLOAT, [2, 3]);
  });
  const elseBranch = b.subgraph('else_body', (g) => {
    const n = g.op('Neg', [x], undefined, 'else_neg');
    g.output(n, DataType.FLOAT, [2, 3]);
  });
  const [y] = b.node('If', [cond], { name: 'branch', attributes: { then_branch: attr.graph(thenBranch), else_branch: attr.graph(elseBranch) } });
  b.output(y!, DataType.FLOAT, [2, 3]);
  return b.buildModel();
}

/**
 * x -> Relu -> y, plus If(cond) whose then branch reads x and holds another If(cond) whose
 * branches read the main graph's weight w: outer-scope reads one and two levels deep.
 */
export function nestedCaptureModel(): Model {
  const b = new ModelBuilder({ name: 'captures', seed: 5 });
  const x = b.input('x', DataType.FLOAT, [2, 3]);
  const cond = b.input('cond', DataType.BOOL, []);
  const w = b.weight('w', [2, 3], 0.5);
  const [r] = b.node('Relu', [x], { name: 'relu' });
  const scaled = (name: string) => b.subgraph(name, (g) => g.output(g.op('Mul', [r!, w], undefined, `${name}_mul`), DataType.FLOAT, [2, 3]));
  const thenBranch = b.subgraph('then_body', (g) => {
    const inner = g.op('If', [cond], { then_branch: attr.graph(scaled('inner_then')), else_branch: attr.graph(scaled('inner_else')) }, 'inner_if');
    g.output(g.op('Add', [inner, x], undefined, 'then_add'), DataType.FLOAT, [2, 3]);
  });
  const elseBranch = b.subgraph('else_body', (g) => g.output(g.op('Identity', [r!], undefined, 'else_id'), DataType.FLOAT, [2, 3]));
  const [y] = b.node('If', [cond], { name: 'outer_if', attributes: { then_branch: attr.graph(thenBranch), else_branch: attr.graph(elseBranch) } });
  b.output(y!, DataType.FLOAT, [2, 3]);
  return b.buildModel();
}

/**
 * A base CNN and an edited copy: one node's attribute changed, one node removed (its consumer
 * rewired), one node added before the output.
 */
export function diffPair(): { base: Model; other: Model; changed: string; removed: string; added: string } {
  const base = cnnClassifier({ seed: 1 });
  const nodes = [...base.graph.nodes];
  const pool = nodes.findIndex((n) => n.opType === 'MaxPool');
  const changedNode = nodes[pool]!;
  nodes[pool] = { ...changedNode, attributes: changedNode.attributes.map((a) => (a.name === 'kernel_shape' ? { ...a, value: attr.ints([3, 3]) } : a)) };
  const relu = nodes.findIndex((n, i) => i > pool && n.opType === 'Relu');
  const removedNode = nodes[relu]!;
  nodes.splice(relu, 1);
  for (let i = relu; i < nodes.length; i++) {
    const n = nodes[i]!;
    nodes[i] = { ...n, inputs: n.inputs.map((t) => (t === removedNode.outputs[0] ? removedNode.inputs[0]! : t)) };
  }
  const last = nodes[nodes.length - 1]!;
  const addedName = 'head/extra_identity';
  const out = base.graph.outputs[0]!.name;
  nodes[nodes.length - 1] = { ...last, outputs: last.outputs.map((t) => (t === out ? 'pre_identity' : t)) };
  nodes.push({ name: addedName, opType: 'Identity', domain: '', inputs: ['pre_identity'], outputs: [out], attributes: [] });
  return { base, other: { ...base, graph: { ...base.graph, nodes } }, changed: changedNode.name, removed: removedNode.name, added: addedName };
}
