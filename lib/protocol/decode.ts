import * as E from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';
import { shapeOf, stripNull, unalias, type Field } from './structure.js';

/**
 * Decoding at the boundary with a message a person can act on: the JSON path of the first
 * offending field and what was expected there. io-ts reports every branch of every union it
 * tried; instead, the codec is walked alongside the value and unions are narrowed the way a
 * reader would (by the `type` tag, by JSON type), so one precise line comes out.
 */

/**
 * Decode `value` with `codec`; on failure, a one-line message rooted at `params`.
 *
 * @example
 * decodeParams(ThreadReadParams, {}); // left('params.threadId: missing required field')
 * decodeParams(TurnStartParams, { threadId: 't', input: [{ type: 'foo' }] });
 * // left('params.input[0].type: expected one of "text", "image", "localImage", "skill", "mention", got "foo"')
 */
export const decodeParams = <C extends t.Mixed>(codec: C, value: unknown): E.Either<string, t.TypeOf<C>> =>
  decodeAt(codec, value, 'params');

/**
 * Like `decodeParams`, with another root label for the path (`result`, `message`, …).
 *
 * @example
 * decodeAt(Thread, json, 'thread'); // left('thread.createdAt: expected an integer, got 1.5')
 */
export const decodeAt = <C extends t.Mixed>(codec: C, value: unknown, root: string): E.Either<string, t.TypeOf<C>> => {
  const result = codec.decode(value);
  if (E.isRight(result)) return result;
  return E.left(explain(codec, value, root) ?? fallback(codec, value, root));
};

/**
 * The first mismatch between `codec` and `value` as `"<path>: <problem>"`, or `undefined` when
 * the value is accepted.
 */
export const explain = (codec: t.Mixed, value: unknown, path: string): string | undefined => {
  if (accepts(codec, value)) return undefined;
  const shape = shapeOf(codec);
  switch (shape.kind) {
    case 'alias':
      return explain(shape.type, value, path);
    case 'object':
      return explainObject(shape.fields, shape.closed, value, path);
    case 'array':
      if (!Array.isArray(value)) return mismatch(codec, value, path);
      return firstOf(value.map((item, i) => () => explain(shape.items, item, `${path}[${i}]`)));
    case 'record':
      if (!isPlainObject(value)) return mismatch(codec, value, path);
      return firstOf(Object.entries(value).map(([k, v]) => () => explain(shape.values, v, join(path, k))));
    case 'union':
      return explainUnion(codec, shape.types, value, path);
    default:
      return mismatch(codec, value, path);
  }
};

const explainObject = (
  fields: readonly Field[],
  closed: boolean,
  value: unknown,
  path: string,
): string | undefined => {
  if (!isPlainObject(value)) return `${path}: expected an object, got ${describeValue(value)}`;
  for (const field of fields) {
    const v = value[field.name];
    if (v === undefined) {
      if (field.required) return `${join(path, field.name)}: missing required field`;
      continue;
    }
    const problem = explain(field.type, v, join(path, field.name));
    if (problem !== undefined) return problem;
  }
  if (closed) {
    const extra = Object.keys(value).find((k) => !fields.some((f) => f.name === k));
    if (extra !== undefined) return `${join(path, extra)}: unexpected field`;
  }
  return undefined;
};

const explainUnion = (codec: t.Mixed, members: readonly t.Mixed[], value: unknown, path: string): string | undefined => {
  const { type, nullable } = stripNull(codec);
  if (nullable) return value === null ? undefined : explain(type, value, path);
  const candidates = members.filter((m) => jsonTypesOf(m).some((j) => j === '*' || j === jsonTypeOf(value)));
  if (candidates.length === 0) return `${path}: expected ${describe(codec)}, got ${describeValue(value)}`;
  if (candidates.every((m) => literalValues(m) !== undefined)) {
    return `${path}: expected one of ${candidates.flatMap((m) => literalValues(m)!).map(quote).join(', ')}, got ${describeValue(value)}`;
  }
  if (candidates.length === 1) return explain(candidates[0]!, value, path);
  const tag = discriminator(candidates);
  if (tag !== undefined && isPlainObject(value)) {
    const tagPath = join(path, tag.key);
    if (value[tag.key] === undefined) return `${tagPath}: missing required field`;
    const chosen = tag.variants.find((v) => v.value === value[tag.key]);
    if (chosen === undefined) {
      return `${tagPath}: expected one of ${tag.variants.map((v) => quote(v.value)).join(', ')}, got ${describeValue(value[tag.key])}`;
    }
    return explain(chosen.codec, value, path);
  }
  // No tag to go by: report the variant that got furthest into the value.
  const problems = candidates.map((m) => explain(m, value, path)).filter((p): p is string => p !== undefined);
  return problems.reduce<string | undefined>((best, p) => (best === undefined || depth(p) > depth(best) ? p : best), undefined);
};

/** A field present in every variant as a required literal, e.g. `type` of `UserInput`. */
const discriminator = (
  variants: readonly t.Mixed[],
): { key: string; variants: { value: string | number | boolean; codec: t.Mixed }[] } | undefined => {
  const shapes = variants.map((v) => shapeOf(unalias(v)));
  const first = shapes[0];
  if (first?.kind !== 'object') return undefined;
  for (const field of first.fields) {
    const tagged = shapes.map((s, i) => {
      const f = s.kind === 'object' ? s.fields.find((g) => g.name === field.name && g.required) : undefined;
      const lit = f === undefined ? undefined : shapeOf(f.type);
      return lit?.kind === 'literal' ? { value: lit.value, codec: variants[i]! } : undefined;
    });
    if (tagged.every((x) => x !== undefined)) return { key: field.name, variants: tagged };
  }
  return undefined;
};

type JsonType = 'string' | 'number' | 'boolean' | 'null' | 'object' | 'array' | '*';

const jsonTypeOf = (value: unknown): JsonType =>
  value === null ? 'null' : Array.isArray(value) ? 'array' : (typeof value as JsonType);

const jsonTypesOf = (codec: t.Mixed): JsonType[] => {
  const shape = shapeOf(codec);
  switch (shape.kind) {
    case 'string':
    case 'enum':
      return ['string'];
    case 'integer':
    case 'number':
      return ['number'];
    case 'literal':
      return [jsonTypeOf(shape.value)];
    case 'boolean':
    case 'null':
    case 'array':
    case 'object':
      return [shape.kind];
    case 'record':
      return ['object'];
    case 'unknown':
      return ['*'];
    case 'alias':
      return jsonTypesOf(shape.type);
    case 'union':
      return shape.types.flatMap(jsonTypesOf);
  }
};

const literalValues = (codec: t.Mixed): (string | number | boolean)[] | undefined => {
  const shape = shapeOf(unalias(codec));
  if (shape.kind === 'literal') return [shape.value];
  if (shape.kind === 'enum') return [...shape.values];
  return undefined;
};

/** What a codec expects, in words. */
const describe = (codec: t.Mixed): string => {
  const shape = shapeOf(codec);
  switch (shape.kind) {
    case 'string':
      return 'a string';
    case 'number':
      return 'a number';
    case 'boolean':
      return 'a boolean';
    case 'null':
      return 'null';
    case 'unknown':
      return 'a value';
    case 'integer':
      if (shape.bits !== undefined) return `a ${shape.minimum === undefined ? '' : 'non-negative '}${shape.bits}-bit integer`;
      return shape.minimum === undefined ? 'an integer' : 'a non-negative integer';
    case 'literal':
      return quote(shape.value);
    case 'enum':
      return `one of ${shape.values.map(quote).join(', ')}`;
    case 'array':
      return 'an array';
    case 'record':
    case 'object':
      return 'an object';
    case 'alias':
      return describe(shape.type);
    case 'union':
      return [...new Set(shape.types.map(describe))].join(' or ');
  }
};

const mismatch = (codec: t.Mixed, value: unknown, path: string): string =>
  `${path}: expected ${describe(codec)}, got ${describeValue(value)}`;

const MAX_SHOWN = 40;

/** A value as it appears in a message: short scalars verbatim, containers by kind. */
const describeValue = (value: unknown): string => {
  if (value === undefined) return 'nothing';
  if (typeof value === 'string') {
    return value.length > MAX_SHOWN ? `${JSON.stringify(value.slice(0, MAX_SHOWN))}…` : JSON.stringify(value);
  }
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object' && value !== null) return 'an object';
  return String(value);
};

// Not `codec.is(value)`: its `u is any` guard would narrow `value` to `never` on the other branch.
const accepts = (codec: t.Mixed, value: unknown): boolean => codec.is(value);

const quote = (v: string | number | boolean): string => JSON.stringify(v);

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const join = (path: string, key: string): string => (IDENTIFIER.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`);

const depth = (problem: string): number => (problem.slice(0, problem.indexOf(': ')).match(/[.[]/g) ?? []).length;

const firstOf = (checks: (() => string | undefined)[]): string | undefined => {
  for (const check of checks) {
    const problem = check();
    if (problem !== undefined) return problem;
  }
  return undefined;
};

/** Only reached if the walk and io-ts disagree; io-ts contexts mix union indices into paths, so stay at the root. */
const fallback = (codec: t.Mixed, value: unknown, root: string): string =>
  `${root}: expected ${codec.name}, got ${describeValue(value)}`;
