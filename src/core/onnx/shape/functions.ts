import type { Attribute, FunctionProto, Model, Node } from '../model';

export type FunctionTable = ReadonlyMap<string, FunctionProto>;

/** Model-local functions by (domain, name, overload). */
export function functionTable(model: Model): FunctionTable {
  return new Map(model.functions.map((f) => [`${f.domain}:${f.name}:${f.overload ?? ''}`, f]));
}

export function calledFunction(table: FunctionTable, node: Node): FunctionProto | undefined {
  return table.size === 0 ? undefined : table.get(`${node.domain}:${node.opType}:${node.overload ?? ''}`);
}

/** Prefix of the tensors internal to one call: `<graph path>/<node label>::`. */
export function callPrefix(path: string, label: string): string {
  return `${path ? `${path}/` : ''}${label}::`;
}

/**
 * The body of a function call as plain nodes: formal inputs/outputs renamed to the call's
 * tensors, internal tensors prefixed, attribute references bound to the call's attributes or
 * the function's defaults (unbound ones dropped).
 */
export function instantiateFunction(call: Node, fn: FunctionProto, prefix: string): Node[] {
  const rename = new Map<string, string>();
  fn.inputs.forEach((name, i) => rename.set(name, call.inputs[i] ?? ''));
  fn.outputs.forEach((name, i) => rename.set(name, call.outputs[i] ?? ''));
  const mapName = (name: string) => (name === '' ? '' : rename.get(name) ?? `${prefix}${name}`);
  const callAttrs = new Map(call.attributes.map((a) => [a.name, a]));
  const defaults = new Map(fn.attributeProtos.map((a) => [a.name, a]));
  return fn.nodes.map((n) => {
    const attributes: Attribute[] = [];
    for (const a of n.attributes) {
      if (a.refAttrName === undefined) attributes.push(a);
      else {
        const bound = callAttrs.get(a.refAttrName) ?? defaults.get(a.refAttrName);
        if (bound) attributes.push({ name: a.name, value: bound.value });
      }
    }
    return { ...n, inputs: n.inputs.map(mapName), outputs: n.outputs.map(mapName), attributes };
  });
}
