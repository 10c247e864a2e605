/**
 * Sample messages derived from a JSON Schema (the reference's), for conformance tests: valid
 * samples that cover every union variant, and mutations at every path of each sample (a required
 * field dropped, a value of the wrong JSON type, a bad enum value, a float for an integer,
 * `null`, an unknown extra field).
 */

type Schema = boolean | { readonly [key: string]: unknown };
type Obj = { readonly [key: string]: unknown };

export interface Mutation {
  readonly description: string;
  readonly value: unknown;
}

/** Resolves `$ref`s against the root document they appear in. */
export class SchemaSampler {
  constructor(private readonly root: Obj) {}

  resolve(schema: Schema): Schema {
    let s = schema;
    for (let guard = 0; typeof s === 'object' && typeof s.$ref === 'string'; guard++) {
      if (guard > 20) throw new Error(`ref loop at ${String(s.$ref)}`);
      s = String(s.$ref)
        .replace(/^#\//, '')
        .split('/')
        .reduce<unknown>((node, key) => (node as Obj)[key], this.root) as Schema;
    }
    return s;
  }

  /** How many samples it takes for `pick` to visit every variant of every union once. */
  variantCount(schema: Schema, seen = new Set<Schema>()): number {
    const s = this.resolve(schema);
    if (typeof s !== 'object' || seen.has(s)) return 1;
    seen.add(s);
    const own = variantsOf(s)?.length ?? 1;
    const children = childSchemas(s).map((c) => this.variantCount(c, seen));
    return Math.max(own, ...children);
  }

  /** A valid sample; every union takes variant `k mod n`, every optional property is filled. */
  sample(schema: Schema, k: number): unknown {
    const s = this.resolve(schema);
    if (s === true || (typeof s === 'object' && Object.keys(s).every((key) => ['description', 'default', 'title', 'writeOnly'].includes(key)))) {
      return { any: [1, 'json'] };
    }
    if (s === false) throw new Error('false schema has no sample');
    const variants = variantsOf(s);
    if (variants) return this.sample(variants[k % variants.length]!, k);
    if (Array.isArray(s.allOf)) return this.sample(s.allOf[0] as Schema, k);
    if (Array.isArray(s.enum)) return s.enum[k % s.enum.length];
    const type = Array.isArray(s.type) ? (s.type as string[])[0] : (s.type as string);
    switch (type) {
      case 'string':
        return 'sample';
      case 'integer':
        return 7;
      case 'number':
        return 0.5;
      case 'boolean':
        return true;
      case 'null':
        return null;
      case 'array':
        return [this.sample((s.items as Schema | undefined) ?? true, k)];
      case 'object': {
        const props = (s.properties ?? {}) as Record<string, Schema>;
        const out: Record<string, unknown> = {};
        for (const [name, p] of Object.entries(props)) out[name] = this.sample(p, k);
        if (s.properties === undefined && s.additionalProperties !== undefined && s.additionalProperties !== false) {
          out.someKey = this.sample(s.additionalProperties as Schema, k);
        }
        return out;
      }
      default:
        throw new Error(`cannot sample ${JSON.stringify(s).slice(0, 200)}`);
    }
  }

  /** Mutations of `value` (valid against `schema`) at every path, each described by its path. */
  mutations(schema: Schema, value: unknown, k: number, path = '$'): Mutation[] {
    const s = this.resolve(schema);
    if (typeof s !== 'object') return [];
    const variants = variantsOf(s);
    if (variants) return this.mutations(variants[k % variants.length]!, value, k, path);
    if (Array.isArray(s.allOf)) return this.mutations(s.allOf[0] as Schema, value, k, path);
    const out: Mutation[] = [{ description: `${path} := wrong JSON type`, value: wrongType(value) }];
    if (value !== null) out.push({ description: `${path} := null`, value: null });
    if (typeof value === 'string') out.push({ description: `${path} := bad enum value`, value: 'definitely-not-a-variant' });
    if (typeof value === 'number') {
      out.push({ description: `${path} := 1.5`, value: 1.5 }, { description: `${path} := -1`, value: -1 });
    }
    if (Array.isArray(value) && value.length > 0) {
      const items = (s.items as Schema | undefined) ?? true;
      out.push({ description: `${path} := []`, value: [] });
      out.push(...this.mutations(items, value[0], k, `${path}[0]`).map((m) => ({ ...m, value: [m.value] })));
    }
    if (isObject(value)) {
      const props = (s.properties ?? {}) as Record<string, Schema>;
      out.push({ description: `${path}.extraField := 1`, value: { ...value, extraUnknownField: 1 } });
      for (const name of Object.keys(value)) {
        const rest = { ...value };
        delete rest[name];
        out.push({ description: `${path}.${name} dropped`, value: rest });
        const sub = props[name] ?? (s.additionalProperties as Schema | undefined) ?? true;
        out.push(
          ...this.mutations(sub, value[name], k, `${path}.${name}`).map((m) => ({ ...m, value: { ...value, [name]: m.value } })),
        );
      }
    }
    return out;
  }
}

// `null` of an `Option<T>` is left to the `:= null` mutation, so samples always explore `T`.
const variantsOf = (s: Obj): Schema[] | undefined => {
  const all = (Array.isArray(s.oneOf) ? s.oneOf : Array.isArray(s.anyOf) ? s.anyOf : undefined) as Schema[] | undefined;
  const nonNull = all?.filter((v) => !(typeof v === 'object' && v.type === 'null'));
  return nonNull !== undefined && nonNull.length > 0 ? nonNull : all;
};

const childSchemas = (s: Obj): Schema[] => [
  ...(variantsOf(s) ?? []),
  ...((s.allOf as Schema[] | undefined) ?? []),
  ...Object.values((s.properties ?? {}) as Record<string, Schema>),
  ...(s.items === undefined ? [] : [s.items as Schema]),
  ...(typeof s.additionalProperties === 'object' ? [s.additionalProperties as Schema] : []),
];

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const wrongType = (value: unknown): unknown => {
  if (typeof value === 'string') return 42;
  if (typeof value === 'number') return '42';
  if (typeof value === 'boolean') return 'true';
  if (Array.isArray(value)) return { notAn: 'array' };
  if (value === null) return 0;
  return 'not an object';
};
