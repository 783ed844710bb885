import type { Attribute, AttributeValue, TypeProto } from '../onnx/model';
import type { NodeRow } from '../../protocol/graphRows';
import { dtypeName } from '../onnx/shape/dtypes';

const maxListItems = 64;
const utf8 = new TextDecoder('utf-8', { fatal: false });

/** Attribute as display text; the webview shows it with textContent. */
export function attributeView(attribute: Attribute): NodeRow['attributes'][number] {
  if (attribute.refAttrName !== undefined) {
    return { name: attribute.name, type: 'ref', value: `@${attribute.refAttrName}` };
  }
  return { name: attribute.name, type: attribute.value.type, value: formatAttributeValue(attribute.value) };
}

export function formatAttributeValue(value: AttributeValue): string {
  switch (value.type) {
    case 'float':
      return formatNumber(value.value);
    case 'int':
      return value.value.toString();
    case 'string':
      return JSON.stringify(utf8.decode(value.value));
    case 'floats':
      return list(value.value.map(formatNumber));
    case 'ints':
      return list(value.value.map((v) => v.toString()));
    case 'strings':
      return list(value.value.map((v) => JSON.stringify(utf8.decode(v))));
    case 'tensor':
      return `tensor ${dtypeName(value.value.dataType)}[${value.value.dims.join(',')}]`;
    case 'tensors':
      return list(value.value.map((t) => `tensor ${dtypeName(t.dataType)}[${t.dims.join(',')}]`));
    case 'graph':
      return `graph ${JSON.stringify(value.value.name)} (${value.value.nodes.length} nodes)`;
    case 'graphs':
      return list(value.value.map((g) => `graph ${JSON.stringify(g.name)}`));
    case 'sparseTensor':
      return `sparse tensor [${value.value.dims.join(',')}]`;
    case 'sparseTensors':
      return list(value.value.map((t) => `sparse tensor [${t.dims.join(',')}]`));
    case 'typeProto':
      return formatType(value.value);
    case 'typeProtos':
      return list(value.value.map(formatType));
    case 'undefined':
      return '';
  }
}

function formatNumber(n: number): string {
  return Number.isInteger(n) ? n.toFixed(1) : String(Math.fround(n) === n ? Number(n.toPrecision(7)) : n);
}

function list(items: readonly string[]): string {
  const shown = items.slice(0, maxListItems).join(', ');
  return items.length > maxListItems ? `[${shown}, … ${items.length - maxListItems} more]` : `[${shown}]`;
}

export function formatType(type: TypeProto): string {
  switch (type.kind) {
    case 'tensor':
    case 'sparseTensor':
      return `${type.kind === 'sparseTensor' ? 'sparse ' : ''}${dtypeName(type.elemType)}${type.shape ? `[${type.shape.map((d) => d ?? '?').join(',')}]` : ''}`;
    case 'sequence':
      return `sequence<${type.elemType ? formatType(type.elemType) : '?'}>`;
    case 'map':
      return `map<${dtypeName(type.keyType)}, ${type.valueType ? formatType(type.valueType) : '?'}>`;
    case 'optional':
      return `optional<${type.elemType ? formatType(type.elemType) : '?'}>`;
    case 'unknown':
      return '?';
  }
}
