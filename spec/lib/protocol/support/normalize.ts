/**
 * A JSON Schema reduced to what it accepts, so two generators' output can be compared field for
 * field: documentation (`description`, `title`, `default`, `writeOnly`) dropped, single-member
 * `allOf`/`oneOf`/`anyOf` unwrapped, `oneOf` read as `anyOf` (the variants are disjoint),
 * `"type": [T, "null"]` spelled as `anyOf`, `$ref`s reduced to the type name, `required` sorted.
 */
export const normalize = (schema: unknown): unknown => {
  if (Array.isArray(schema)) return schema.map(normalize);
  if (typeof schema !== 'object' || schema === null) return schema;
  const s: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(schema)) {
    if (!['description', 'title', 'default', 'writeOnly', '$schema', 'definitions'].includes(k)) s[k] = v;
  }
  if (Object.keys(s).length === 0) return true;
  if (Array.isArray(s.oneOf)) {
    s.anyOf = s.oneOf;
    delete s.oneOf;
  }
  for (const key of ['allOf', 'anyOf'] as const) {
    const members = s[key];
    if (Array.isArray(members) && members.length === 1) {
      delete s[key];
      return normalize({ ...s, ...(members[0] as object) });
    }
  }
  if (Array.isArray(s.type) && s.type.length === 2 && s.type[1] === 'null') {
    return { anyOf: [normalize({ ...s, type: s.type[0] }), { type: 'null' }] };
  }
  if (typeof s.$ref === 'string') s.$ref = s.$ref.slice(s.$ref.lastIndexOf('/') + 1);
  if (s.additionalProperties === true) delete s.additionalProperties;
  if (Array.isArray(s.required)) s.required = [...(s.required as string[])].sort();
  if (isEmptyObject(s.properties)) delete s.properties;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(s).sort(([a], [b]) => (a < b ? -1 : 1))) {
    out[k] = k === 'properties' ? sortedMap(v as Record<string, unknown>) : normalize(v);
  }
  return out;
};

const sortedMap = (props: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(Object.entries(props).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => [k, normalize(v)]));

const isEmptyObject = (v: unknown): boolean => typeof v === 'object' && v !== null && Object.keys(v).length === 0;

/** A bundle's definitions by `name` or `v2/name`. */
export const flatDefinitions = (bundle: Record<string, unknown>): Map<string, unknown> => {
  const defs = bundle.definitions as Record<string, unknown>;
  const out = new Map<string, unknown>();
  for (const [name, schema] of Object.entries(defs)) {
    if (name === 'v2') for (const [n, s] of Object.entries(schema as object)) out.set(`v2/${n}`, s);
    else out.set(name, schema);
  }
  return out;
};
