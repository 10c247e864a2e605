import * as t from 'io-ts';
import { AliasType, AnyJsonType, ClosedType, IntegerFormat, IntegerType } from './codec.js';

/**
 * A structural view of a wire codec: the handful of shapes the protocol uses, with
 * `t.type`/`t.partial` intersections flattened into one object shape. The schema and TypeScript
 * exporters, the path reporter and the experimental gate all walk codecs through this view, so
 * they agree on what a codec means.
 */
export type Shape =
  | { readonly kind: 'string' | 'number' | 'boolean' | 'null' | 'unknown' }
  | { readonly kind: 'integer'; readonly format: IntegerFormat; readonly minimum: number | undefined; readonly bits: number | undefined }
  | { readonly kind: 'literal'; readonly value: string | number | boolean }
  | { readonly kind: 'enum'; readonly values: readonly string[] }
  | { readonly kind: 'array'; readonly items: t.Mixed }
  | { readonly kind: 'record'; readonly values: t.Mixed }
  | { readonly kind: 'union'; readonly types: readonly t.Mixed[] }
  | { readonly kind: 'alias'; readonly type: t.Mixed }
  | ObjectShape;

/** An object: its fields in declaration order, required ones first. */
export interface ObjectShape {
  readonly kind: 'object';
  readonly fields: readonly Field[];
  /** `"additionalProperties": false` */
  readonly closed: boolean;
}

export interface Field {
  readonly name: string;
  readonly type: t.Mixed;
  /** A `t.type` member (io-ts's `is` requires it to be present, whatever its codec). */
  readonly required: boolean;
}

/**
 * The shape of `codec`.
 *
 * @example
 * shapeOf(t.array(t.string)); // { kind: 'array', items: t.string }
 */
export const shapeOf = (codec: t.Mixed): Shape => {
  const c = codec as t.Mixed & { readonly _tag?: string };
  if (c instanceof IntegerType) return { kind: 'integer', format: c.format, minimum: c.minimum, bits: c.bits };
  if (c instanceof ClosedType) return { kind: 'object', fields: fieldsOf(c.props, true), closed: true };
  if (c instanceof AliasType) return { kind: 'alias', type: c.type };
  if (c instanceof AnyJsonType) return { kind: 'unknown' };
  if (c instanceof t.StringType) return { kind: 'string' };
  if (c instanceof t.NumberType) return { kind: 'number' };
  if (c instanceof t.BooleanType) return { kind: 'boolean' };
  if (c instanceof t.NullType) return { kind: 'null' };
  if (c instanceof t.UnknownType) return { kind: 'unknown' };
  if (c instanceof t.LiteralType) return { kind: 'literal', value: c.value };
  if (c instanceof t.KeyofType) return { kind: 'enum', values: Object.keys(c.keys) };
  if (c instanceof t.ArrayType) return { kind: 'array', items: c.type };
  if (c instanceof t.DictionaryType) return { kind: 'record', values: c.codomain };
  if (c instanceof t.UnionType) return { kind: 'union', types: c.types };
  if (c instanceof t.InterfaceType || c instanceof t.PartialType || c instanceof t.IntersectionType) {
    return { kind: 'object', fields: objectFields(c), closed: false };
  }
  throw new Error(`unsupported codec in the wire protocol: ${c.name} (${String(c._tag)})`);
};

const fieldsOf = (props: t.Props, required: boolean): Field[] =>
  Object.entries(props).map(([name, type]) => ({ name, type, required }));

const objectFields = (c: t.Mixed): Field[] => {
  if (c instanceof t.InterfaceType) return fieldsOf(c.props as t.Props, true);
  if (c instanceof t.PartialType) return fieldsOf(c.props as t.Props, false);
  if (c instanceof t.IntersectionType) return (c.types as t.Mixed[]).flatMap(objectFields);
  throw new Error(`intersection member is not an object: ${c.name}`);
};

/**
 * The codec with `null` removed from a `T | null` union, and whether `null` was there. Optional
 * `Option<T>` fields are `t.union([T, t.null])`.
 */
export const stripNull = (codec: t.Mixed): { readonly type: t.Mixed; readonly nullable: boolean } => {
  const shape = shapeOf(codec);
  if (shape.kind !== 'union') return { type: codec, nullable: false };
  const rest = shape.types.filter((m) => !(m instanceof t.NullType));
  if (rest.length === shape.types.length || rest.length !== 1) return { type: codec, nullable: false };
  return { type: rest[0]!, nullable: true };
};

/** Follow aliases down to the codec that carries the structure. */
export const unalias = (codec: t.Mixed): t.Mixed => (codec instanceof AliasType ? unalias(codec.type) : codec);
