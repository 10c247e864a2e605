import { expect } from 'chai';
import fc from 'fast-check';
import { configLayer } from '../../../lib/config/configLayer.js';
import { valueAtPath, type JsonTable, type JsonValue } from '../../../lib/config/configValue.js';
import { mergeLayers, mergeTables } from '../../../lib/config/merge.js';

const system = (config: JsonTable) => configLayer({ type: 'system', file: '/etc/codex/config.toml' }, config);
const user = (config: JsonTable) => configLayer({ type: 'user', file: '/h/.codex/config.toml' }, config);
const flags = (config: JsonTable) => configLayer({ type: 'sessionFlags' }, config);

/** Tables of small depth with string keys drawn from a few names, so paths collide often. */
const tables: fc.Arbitrary<JsonTable> = fc.letrec<{ table: JsonTable; value: JsonValue }>((tie) => ({
  table: fc.dictionary(fc.constantFrom('a', 'b', 'c', 'model'), tie('value'), { maxKeys: 3 }) as fc.Arbitrary<JsonTable>,
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.integer(),
    fc.boolean(),
    fc.string({ maxLength: 3 }),
    fc.array(fc.integer(), { maxLength: 2 }),
    tie('table'),
  ),
})).table;

const leafPaths = (value: JsonValue, prefix: string[] = []): string[][] =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
    ? Object.entries(value).flatMap(([k, v]) => leafPaths(v, [...prefix, k]))
    : [prefix];

describe('mergeTables', () => {
  it('merges tables recursively and lets the overlay replace everything else', () => {
    const base = { a: { x: 1, y: 2 }, l: [1, 2, 3], s: 'keep', t: { deep: { k: 1 } } };
    const overlay = { a: { y: 3 }, l: [9], t: 'scalar now' };
    expect(mergeTables(base, overlay)).to.deep.equal({ a: { x: 1, y: 3 }, l: [9], s: 'keep', t: 'scalar now' });
  });

  it('leaves both inputs untouched', () => {
    const base = { a: { x: 1 } };
    const overlay = { a: { y: 2 } };
    mergeTables(base, overlay);
    expect(base).to.deep.equal({ a: { x: 1 } });
    expect(overlay).to.deep.equal({ a: { y: 2 } });
  });

  it('keeps every overlay leaf and every base key the overlay does not touch (property)', () => {
    fc.assert(
      fc.property(tables, tables, (base, overlay) => {
        const merged = mergeTables(base, overlay);
        for (const path of leafPaths(overlay)) expect(valueAtPath(merged, path)).to.deep.equal(valueAtPath(overlay, path));
        for (const key of Object.keys(base)) if (!(key in overlay)) expect(merged[key]).to.deep.equal(base[key]);
      }),
    );
  });

  it('has the empty table as identity on both sides and is idempotent (property)', () => {
    fc.assert(fc.property(tables, (a) => {
      expect(mergeTables(a, {})).to.deep.equal(a);
      expect(mergeTables({}, a)).to.deep.equal(a);
      expect(mergeTables(a, a)).to.deep.equal(a);
    }));
  });

  it('is not associative: a scalar in the middle layer cuts the tables below it off', () => {
    const [a, b, c] = [{ t: { x: 1 } }, { t: 0 }, { t: {} }];
    expect(mergeTables(mergeTables(a, b), c)).to.deep.equal({ t: {} });
    expect(mergeTables(a, mergeTables(b, c))).to.deep.equal({ t: { x: 1 } });
  });
});

describe('mergeLayers', () => {
  it('merges enabled layers from lowest to highest precedence', () => {
    const { config } = mergeLayers([system({ model: 'sys', a: { x: 1 } }), user({ model: 'mine', a: { y: 2 } }), flags({ model: 'flag' })]);
    expect(config).to.deep.equal({ model: 'flag', a: { x: 1, y: 2 } });
  });

  it('ignores disabled layers', () => {
    const project = configLayer({ type: 'project', dotCodexFolder: '/p/.codex' }, { model: 'project' }, 'untrusted');
    expect(mergeLayers([user({ model: 'mine' }), project]).config).to.deep.equal({ model: 'mine' });
  });

  it('records for every leaf the layer whose value is in effect, arrays by index', () => {
    const sys = system({ model: 'sys', sandbox_workspace_write: { writable_roots: ['/a', '/b', '/c'], network_access: true } });
    const mine = user({ sandbox_workspace_write: { writable_roots: ['/x'] }, approval_policy: 'never' });
    const flag = flags({ model: 'o3' });
    const { origins } = mergeLayers([sys, mine, flag]);
    expect(origins).to.deep.equal({
      model: { name: flag.name, version: flag.version },
      'sandbox_workspace_write.writable_roots.0': { name: mine.name, version: mine.version },
      'sandbox_workspace_write.network_access': { name: sys.name, version: sys.version },
      approval_policy: { name: mine.name, version: mine.version },
    });
  });

  it('has no origins for empty tables and arrays', () => {
    expect(mergeLayers([user({ features: {}, roots: [] })]).origins).to.deep.equal({});
  });

  it('gives every leaf of the merged config an origin, and nothing else (property)', () => {
    fc.assert(fc.property(tables, tables, tables, (a, b, c) => {
      const layers = [system(a), user(b), flags(c)];
      const { config, origins } = mergeLayers(layers);
      const leaves = leafPaths(config).filter((p) => p.length > 0 && !isEmptyContainer(valueAtPath(config, p)));
      expect(Object.keys(origins).sort()).to.deep.equal(arrayLeafKeys(config, leaves).sort());
    }));
  });
});

const isEmptyContainer = (v: JsonValue | undefined): boolean =>
  (Array.isArray(v) && v.length === 0) || (typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length === 0);

/** Leaf keys with arrays expanded by index. */
const arrayLeafKeys = (config: JsonTable, leaves: string[][]): string[] =>
  leaves.flatMap((path) => {
    const v = valueAtPath(config, path);
    return Array.isArray(v) ? v.map((_, i) => [...path, String(i)].join('.')) : [path.join('.')];
  });
