import { createHash } from 'node:crypto';
import { isTable, type JsonValue } from './configValue.js';

/**
 * Compact JSON with object keys sorted recursively (by UTF-8 bytes, as the reference's
 * `serde_json` map sorts them), so equal tables always serialize alike.
 *
 * @example
 * canonicalJson({ b: 1, a: { d: 2, c: 3 } }); // '{"a":{"c":3,"d":2},"b":1}'
 */
export const canonicalJson = (value: JsonValue): string => {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (isTable(value)) {
    const keys = Object.keys(value).sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k]!)}`).join(',')}}`;
  }
  return JSON.stringify(value);
};

/**
 * A layer's version (SPEC §10.2): `sha256:` + lowercase hex SHA-256 of its canonical JSON. A client
 * passes it back as `expectedVersion` to detect concurrent edits.
 *
 * @example
 * layerVersion({}); // 'sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a'
 */
export const layerVersion = (config: JsonValue): string =>
  `sha256:${createHash('sha256').update(canonicalJson(config)).digest('hex')}`;
