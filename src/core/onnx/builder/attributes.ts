/** Typed attribute values for builder nodes: `{ kernel_shape: ints([3, 3]), epsilon: float(1e-5) }`. */
import type { AttributeValue, Graph, Tensor, TypeProto } from '../model';

const utf8 = new TextEncoder();

export const int = (value: number | bigint): AttributeValue => ({ type: 'int', value: BigInt(value) });
export const ints = (values: readonly (number | bigint)[]): AttributeValue => ({ type: 'ints', value: values.map((v) => BigInt(v)) });
export const float = (value: number): AttributeValue => ({ type: 'float', value: Math.fround(value) });
export const floats = (values: readonly number[]): AttributeValue => ({ type: 'floats', value: values.map((v) => Math.fround(v)) });
export const str = (value: string): AttributeValue => ({ type: 'string', value: utf8.encode(value) });
export const strs = (values: readonly string[]): AttributeValue => ({ type: 'strings', value: values.map((v) => utf8.encode(v)) });
export const tensor = (value: Tensor): AttributeValue => ({ type: 'tensor', value });
export const graph = (value: Graph): AttributeValue => ({ type: 'graph', value });
export const typeProto = (value: TypeProto): AttributeValue => ({ type: 'typeProto', value });
