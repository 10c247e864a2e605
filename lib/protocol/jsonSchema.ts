import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import * as t from 'io-ts';
import { definitionOf, definitions, experimentalMethodTypes, type Definition } from './catalog.js';
import { RequestId } from './envelope.js';
import { isExperimentalField } from './experimental.js';
import { clientMethods, clientNotifications, serverNotifications, serverRequests } from './registry.js';
import { shapeOf, stripNull } from './structure.js';

/**
 * JSON Schema (draft-07) export walked from the codecs, laid out like the reference's
 * `generate-json-schema` output: top-level message unions and envelope types, one file per
 * params/result/notification type under `v1/` and `v2/`, and the bundle
 * `codex_app_server_protocol.schemas.json`. Unions are `anyOf`, which is what an io-ts union
 * means (first match wins), except the method unions, whose variants are disjoint by `method`.
 */

/** A JSON Schema: an object, or `true` for "any value". */
export type JsonSchema = { readonly [key: string]: unknown } | true;

/** Export options: `experimental: false` leaves out experimental methods and fields. */
export interface ExportOptions {
  readonly experimental: boolean;
}

const DRAFT_07 = 'http://json-schema.org/draft-07/schema#';
const BUNDLE = 'codex_app_server_protocol.schemas.json';

/** How to point at a named type from the document being written. */
type RefOf = (def: Definition) => string;
const flatRef: RefOf = (def) => `#/definitions/${def.name}`;
const bundleRef: RefOf = (def) => (def.namespace === 'v2' ? `#/definitions/v2/${def.name}` : `#/definitions/${def.name}`);

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Walks codecs into schemas, remembering which named types were referenced. */
class Writer {
  readonly referenced = new Set<Definition>();
  constructor(
    private readonly options: ExportOptions,
    private readonly refOf: RefOf,
  ) {}

  /** The schema of `codec`: a `$ref` when it is a named type. */
  schema(codec: t.Mixed): JsonSchema {
    const def = definitionOf(codec);
    if (def === undefined) return this.body(codec);
    this.referenced.add(def);
    return { $ref: this.refOf(def) };
  }

  /** The schema of `codec` itself, even when it is a named type. */
  body(codec: t.Mixed): JsonSchema {
    const shape = shapeOf(codec);
    switch (shape.kind) {
      case 'unknown':
        return true;
      case 'string':
      case 'number':
      case 'boolean':
      case 'null':
        return { type: shape.kind };
      case 'integer':
        return { type: 'integer', format: shape.format, ...(shape.minimum === undefined ? {} : { minimum: shape.minimum }) };
      case 'literal':
        return { type: typeof shape.value, enum: [shape.value] };
      case 'enum':
        return { type: 'string', enum: shape.values, ...this.title(codec) };
      case 'array':
        return { type: 'array', items: this.schema(shape.items) };
      case 'record':
        return { type: 'object', additionalProperties: this.schema(shape.values) };
      case 'alias':
        return this.body(shape.type);
      case 'union':
        return this.union(codec, shape.types);
      case 'object': {
        const fields = shape.fields.filter((f) => this.options.experimental || !isExperimentalField(f.type));
        const required = fields.filter((f) => f.required).map((f) => f.name);
        return {
          type: 'object',
          ...(required.length > 0 ? { required } : {}),
          ...(fields.length > 0 ? { properties: Object.fromEntries(fields.map((f) => [f.name, this.schema(f.type)])) } : {}),
          ...(shape.closed ? { additionalProperties: false } : {}),
          ...this.title(codec),
        };
      }
    }
  }

  private union(codec: t.Mixed, members: readonly t.Mixed[]): JsonSchema {
    const { type, nullable } = stripNull(codec);
    if (nullable) {
      // `Option<T>`: `"type": [T, "null"]` for a primitive, `anyOf` otherwise, as the reference writes it.
      const inner = this.schema(type);
      if (inner !== true && typeof inner.type === 'string' && inner.$ref === undefined && inner.enum === undefined) {
        return { ...inner, type: [inner.type, 'null'] };
      }
      return { anyOf: [inner, { type: 'null' }] };
    }
    return { anyOf: members.map((m) => this.schema(m)), ...this.title(codec) };
  }

  // io-ts invents names like `{ a: string }` for unnamed codecs; only real names become titles.
  private title(codec: t.Mixed): { title?: string } {
    return IDENTIFIER.test(codec.name) && definitionOf(codec) === undefined ? { title: codec.name } : {};
  }

  /** `definitions` for everything referenced so far, following references transitively. */
  closure(exclude?: Definition): Record<string, JsonSchema> {
    const out: Record<string, JsonSchema> = {};
    const done = new Set<Definition>();
    for (let pending = [...this.referenced]; pending.length > 0; pending = [...this.referenced].filter((d) => !done.has(d))) {
      for (const def of pending) {
        done.add(def);
        if (def !== exclude) out[def.name] = this.body(def.codec);
      }
    }
    return sortKeys(out);
  }
}

const sortKeys = <V>(record: Record<string, V>): Record<string, V> =>
  Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

const capitalize = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

const MESSAGE_UNIONS = ['ClientRequest', 'ServerNotification', 'ServerRequest', 'ClientNotification'] as const;
type MessageUnion = (typeof MESSAGE_UNIONS)[number];

/** One of the four message unions, as `oneOf` over `{id?, method, params?}` variants. */
const messageUnion = (name: MessageUnion, w: Writer, options: ExportOptions): JsonSchema => {
  // `params: undefined` leaves the member out (a notification without params, `Option<()>` params).
  const variant = (method: string, suffix: string, withId: boolean, params?: JsonSchema, paramsRequired = true): JsonSchema => ({
    type: 'object',
    required: [...(withId ? ['id'] : []), 'method', ...(params !== undefined && paramsRequired ? ['params'] : [])],
    properties: {
      ...(withId ? { id: w.schema(RequestId) } : {}),
      method: { type: 'string', enum: [method], title: `${capitalize(method)}${suffix}Method` },
      ...(params !== undefined ? { params } : {}),
    },
    title: `${capitalize(method)}${suffix}`,
  });
  switch (name) {
    case 'ClientRequest':
      return {
        description: 'Request from the client to the server.',
        oneOf: [...clientMethods.values()]
          .filter((m) => options.experimental || !m.experimental)
          .map((m) =>
            m.paramsOptional
              ? variant(m.method, 'Request', true, { type: 'null' }, false)
              : variant(m.method, 'Request', true, w.schema(m.params)),
          ),
      };
    case 'ServerNotification':
      return {
        description: 'Notification sent from the server to the client.',
        oneOf: [...serverNotifications.values()].map((n) => variant(n.method, 'Notification', false, w.schema(n.params))),
      };
    case 'ServerRequest':
      return {
        description: 'Request initiated from the server and sent to the client.',
        oneOf: [...serverRequests.values()].map((r) => variant(r.method, 'Request', true, w.schema(r.params))),
      };
    case 'ClientNotification':
      return { oneOf: [...clientNotifications.values()].map((n) => variant(n.method, 'Notification', false)) };
  }
};

/** Definitions that get a file of their own: envelope types, and every method's params/result types. */
const fileTypes = (options: ExportOptions): Definition[] => {
  const codecs = new Set<t.Mixed>([
    ...[...clientMethods.values()].filter((m) => options.experimental || !m.experimental).flatMap((m) => [m.params, m.result]),
    ...[...serverNotifications.values()].map((n) => n.params),
    ...[...serverRequests.values()].flatMap((r) => [r.params, r.result]),
  ]);
  return definitions.filter((d) => codecs.has(d.codec) || d.name === 'RequestId' || d.name.startsWith('JSONRPC'));
};

const pathOf = (def: Definition): string => (def.namespace === 'root' ? `${def.name}.json` : `${def.namespace}/${def.name}.json`);

/** One self-contained file: the type's schema with the types it uses under flat `definitions`. */
const standalone = (title: string, options: ExportOptions, build: (w: Writer) => JsonSchema, self?: Definition): JsonSchema => {
  const w = new Writer(options, flatRef);
  const root = build(w);
  const defs = w.closure(self);
  return { $schema: DRAFT_07, title, ...(root === true ? {} : root), ...(Object.keys(defs).length > 0 ? { definitions: defs } : {}) };
};

/**
 * The schema files of the protocol, by path relative to the output directory.
 *
 * @example
 * const files = generateJsonSchema({ experimental: false });
 * files.get('v2/ThreadStartParams.json'); // no dynamicTools property
 */
export const generateJsonSchema = (options: ExportOptions): ReadonlyMap<string, JsonSchema> => {
  const files = new Map<string, JsonSchema>();
  for (const name of MESSAGE_UNIONS) {
    files.set(`${name}.json`, standalone(name, options, (w) => messageUnion(name, w, options)));
  }
  for (const def of fileTypes(options)) {
    files.set(pathOf(def), standalone(def.name, options, (w) => w.body(def.codec), def));
  }
  files.set(BUNDLE, bundle(options));
  return files;
};

/** Every named type in one document: top-level and v1 types in `definitions`, v2 ones in `definitions.v2`. */
const bundle = (options: ExportOptions): JsonSchema => {
  const w = new Writer(options, bundleRef);
  const root: Record<string, JsonSchema> = {};
  for (const name of MESSAGE_UNIONS) root[name] = messageUnion(name, w, options);
  const v2: Record<string, JsonSchema> = {};
  for (const def of definitions) {
    if (!options.experimental && experimentalMethodTypes.has(def.codec)) continue;
    (def.namespace === 'v2' ? v2 : root)[def.name] = w.body(def.codec);
  }
  return {
    $schema: DRAFT_07,
    title: 'CodexAppServerProtocol',
    type: 'object',
    definitions: { ...sortKeys(root), v2: sortKeys(v2) },
  };
};

/**
 * Write the schema files under `outDir` (as `rxagent app-server generate-json-schema` does);
 * returns the paths written.
 *
 * @example
 * await writeJsonSchema('/tmp/schema', true);
 */
export const writeJsonSchema = async (outDir: string, experimental: boolean): Promise<string[]> => {
  const written: string[] = [];
  for (const [path, schema] of generateJsonSchema({ experimental })) {
    const file = join(outDir, path);
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, `${JSON.stringify(schema, null, 2)}\n`);
    written.push(file);
  }
  return written;
};
