/** Typed reads of a node's attributes, with a fallback when the attribute is absent or of another type. */
import type { Node } from './model';

export function intAttr(node: Node, name: string, fallback: number): number {
  const a = node.attributes.find((x) => x.name === name)?.value;
  return a?.type === 'int' ? Number(a.value) : fallback;
}

export function floatAttr(node: Node, name: string, fallback: number): number {
  const a = node.attributes.find((x) => x.name === name)?.value;
  return a?.type === 'float' ? a.value : fallback;
}

export function intsAttr(node: Node, name: string): number[] | undefined {
  const a = node.attributes.find((x) => x.name === name)?.value;
  return a?.type === 'ints' ? a.value.map(Number) : undefined;
}

export function strAttr(node: Node, name: string, fallback: string): string {
  const a = node.attributes.find((x) => x.name === name)?.value;
  return a?.type === 'string' ? new TextDecoder().decode(a.value) : fallback;
}
