import * as t from 'io-ts';

/**
 * Building blocks the wire codecs need beyond stock io-ts. Each is a `t.Type` subclass with a
 * `_tag`, so the schema export, the path reporter and the experimental gate can walk them like
 * the built-in combinators.
 */

/** Rust integer widths as they appear in the schema's `format`. */
export type IntegerFormat = 'int32' | 'int64' | 'uint' | 'uint16' | 'uint32' | 'uint64';

/** The bit width of the formats whose range is narrower than a JS number's integers. */
const BITS: Partial<Record<IntegerFormat, number>> = { int32: 32, uint16: 16, uint32: 32 };

/**
 * A JSON integer (`{"type":"integer","format":…}`); unsigned formats also require `>= 0`, and the
 * 16- and 32-bit ones their range. Floats such as `1.5`, and `2 ** 32` for a `uint32`, are
 * rejected, as serde rejects them.
 *
 * @example
 * uint.is(3); // true
 * uint.is(-1); // false
 * int64.is(1.5); // false
 * uint32.is(2 ** 32); // false
 */
export class IntegerType extends t.Type<number, number, unknown> {
  readonly _tag = 'IntegerType' as const;
  constructor(readonly format: IntegerFormat) {
    const unsigned = format.startsWith('u');
    const bits = BITS[format];
    const max = bits === undefined ? Number.MAX_SAFE_INTEGER : unsigned ? 2 ** bits - 1 : 2 ** (bits - 1) - 1;
    const min = unsigned ? 0 : bits === undefined ? Number.MIN_SAFE_INTEGER : -(2 ** (bits - 1));
    const is = (u: unknown): u is number => typeof u === 'number' && Number.isInteger(u) && u >= min && u <= max;
    super(format, is, (u, c) => (is(u) ? t.success(u) : t.failure(u, c)), t.identity);
  }
  /** The width of a 16- or 32-bit format, which limits its range. */
  get bits(): number | undefined {
    return BITS[this.format];
  }
  /** The schema's `minimum`, present for unsigned formats only. */
  get minimum(): number | undefined {
    return this.format.startsWith('u') ? 0 : undefined;
  }
}

export const int32 = new IntegerType('int32');
export const int64 = new IntegerType('int64');
export const uint = new IntegerType('uint');
export const uint16 = new IntegerType('uint16');
export const uint32 = new IntegerType('uint32');
export const uint64 = new IntegerType('uint64');

/**
 * An object that rejects members not listed in `props` (`"additionalProperties": false`), which
 * the reference uses for externally tagged enum variants such as `{"subAgent": …}`.
 *
 * @example
 * const Other = closed({ other: t.string }, 'OtherSubAgentSource');
 * Other.is({ other: 'x', extra: 1 }); // false
 */
export class ClosedType<P extends t.Props> extends t.Type<t.TypeOfProps<P>, t.OutputOfProps<P>, unknown> {
  readonly _tag = 'ClosedType' as const;
  constructor(
    name: string,
    readonly props: P,
  ) {
    const open = t.type(props);
    const extraKey = (u: Record<string, unknown>): string | undefined =>
      Object.keys(u).find((k) => !Object.prototype.hasOwnProperty.call(props, k));
    super(
      name,
      (u): u is t.TypeOfProps<P> => open.is(u) && extraKey(u) === undefined,
      (u, c) => {
        const result = open.validate(u, c);
        if (result._tag === 'Left') return result;
        const extra = extraKey(u as Record<string, unknown>);
        return extra === undefined
          ? result
          : t.failure((u as Record<string, unknown>)[extra], t.appendContext(c, extra, t.never, undefined));
      },
      open.encode,
    );
  }
}

export const closed = <P extends t.Props>(props: P, name: string): ClosedType<P> => new ClosedType(name, props);

/**
 * A named alias of another codec (the schema's `ThreadId`, `AbsolutePathBuf`, which are plain
 * strings with a definition of their own).
 *
 * @example
 * const ThreadId = alias('ThreadId', t.string);
 */
export class AliasType<C extends t.Any> extends t.Type<t.TypeOf<C>, t.OutputOf<C>, unknown> {
  readonly _tag = 'AliasType' as const;
  constructor(
    name: string,
    readonly type: C,
  ) {
    super(name, type.is, type.validate, type.encode);
  }
}

export const alias = <C extends t.Any>(name: string, type: C): AliasType<C> => new AliasType(name, type);

/**
 * Any JSON value (a `true` schema) for a **required** field. `t.unknown` also accepts
 * `undefined`, so inside `t.type` io-ts's `decode` would let the field be missing (while its
 * `is` would not); this one is missing-means-invalid for both.
 *
 * @example
 * t.type({ value: anyJson }).is({}); // false
 */
export class AnyJsonType extends t.Type<unknown, unknown, unknown> {
  readonly _tag = 'AnyJsonType' as const;
  constructor() {
    const is = (u: unknown): u is unknown => u !== undefined;
    super('unknown', is, (u, c) => (is(u) ? t.success(u) : t.failure(u, c)), t.identity);
  }
}

export const anyJson = new AnyJsonType();
