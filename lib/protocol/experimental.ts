import * as t from 'io-ts';
import type { ClientMethod } from './method.js';
import { shapeOf, stripNull } from './structure.js';

/**
 * Experimental markers on codecs (SPEC §3). The runtime gate and the stable schema export are
 * both derived from these markers, never from a list of method names.
 */

const experimentalFields = new WeakSet<t.Mixed>();
const experimentalVariants = new WeakMap<t.Mixed, string>();

// A marker must not leak onto a shared instance such as `t.boolean`, so mark a shallow copy:
// it keeps the class (and so `_tag`, `props`, `types`…) and the validate/encode functions.
const copyOf = <C extends t.Mixed>(codec: C): C => Object.assign(Object.create(Object.getPrototypeOf(codec)), codec);

/**
 * Mark an object field's codec as experimental: the field is left out of the stable schema and,
 * on a request, its presence requires `capabilities.experimentalApi`.
 *
 * @example
 * t.partial({ dynamicTools: experimentalField(t.union([t.array(DynamicToolSpec), t.null])) })
 */
export const experimentalField = <C extends t.Mixed>(codec: C): C => {
  const marked = copyOf(codec);
  experimentalFields.add(marked);
  return marked;
};

/**
 * Mark a union variant as experimental; `reason` is the suffix of the gate's reason string
 * (`account/login/start.<reason>`).
 *
 * @example
 * experimentalVariant(t.type({ type: t.literal('chatgptAuthTokens'), … }), 'chatgptAuthTokens')
 */
export const experimentalVariant = <C extends t.Mixed>(codec: C, reason: string): C => {
  const marked = copyOf(codec);
  experimentalVariants.set(marked, reason);
  return marked;
};

/** Whether `codec` is a field codec marked with `experimentalField`. */
export const isExperimentalField = (codec: t.Mixed): boolean => experimentalFields.has(codec);

/** The reason name of a variant marked with `experimentalVariant`, if any. */
export const experimentalVariantReason = (codec: t.Mixed): string | undefined => experimentalVariants.get(codec);

/**
 * Whether a field value counts as "present" for the gate (SPEC §3.1, the reference derive
 * macro): `null`/absent never; arrays and maps only when non-empty; booleans only when `true`;
 * anything else (a string, a struct, even an empty one) always.
 */
const isPresent = (codec: t.Mixed, value: unknown): boolean => {
  if (value === undefined || value === null) return false;
  const shape = shapeOf(stripNull(codec).type);
  switch (shape.kind) {
    case 'array':
      return Array.isArray(value) && value.length > 0;
    case 'record':
      return typeof value === 'object' && Object.keys(value).length > 0;
    case 'boolean':
      return value === true;
    default:
      return true;
  }
};

/** The experimental reason suffix of `params` against `codec`, walking one object or union level. */
const paramsReason = (codec: t.Mixed, params: unknown): string | undefined => {
  const shape = shapeOf(codec);
  if (shape.kind === 'union') {
    const variant = shape.types.find((v) => v.is(params));
    if (variant === undefined) return undefined;
    return experimentalVariantReason(variant) ?? paramsReason(variant, params);
  }
  if (shape.kind !== 'object' || typeof params !== 'object' || params === null) return undefined;
  const record = params as Record<string, unknown>;
  return shape.fields.find((f) => isExperimentalField(f.type) && isPresent(f.type, record[f.name]))?.name;
};

/**
 * The reason string (`"<method>"` or `"<method>.<field>"`) for which `params` needs the
 * experimental API, or `undefined` when the request is allowed without it. The router answers
 * `"<reason> requires experimentalApi capability"`.
 *
 * @example
 * experimentalReason(threadStart, { dynamicTools: [] }); // undefined
 * experimentalReason(threadStart, { experimentalRawEvents: true }); // 'thread/start.experimentalRawEvents'
 */
export const experimentalReason = (def: ClientMethod, params: unknown): string | undefined => {
  if (def.experimental) return def.method;
  const reason = paramsReason(def.params, params);
  return reason === undefined ? undefined : `${def.method}.${reason}`;
};
