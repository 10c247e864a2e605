/**
 * Compares a recorded reference value, in which volatile values were replaced by placeholders
 * (`<thread-1>`, `<unix-ts>`, `<CWD>`…, see ../shared/fixtures/README.md), with an actual value.
 *
 * A string that is exactly an id placeholder (`<thread-N>`, `<turn-N>`, `<item-N>`) binds to the
 * actual value the first time and must match the same value afterwards (and no two placeholders
 * bind to one value), so "the copied turns keep their ids" is checked, not assumed. Any other
 * placeholder, whole or inside a longer string, matches any text. Everything else must be equal,
 * objects with the same keys.
 */

const ID_PLACEHOLDER = /^<(?:thread|turn|item)-\d+>$/;
const PLACEHOLDER = /<(?:(?:thread|turn|item)-\d+|unix-ts|ts|iso-ts|CWD|CODEX_HOME|yyyy|mm|dd|os|arch|MOCK_PORT|pid|duration|chunk-id)>/g;

/** Placeholder → actual value, both ways, shared across the comparisons of one transcript. */
export interface Bindings {
  readonly byPlaceholder: Map<string, string>;
  readonly byValue: Map<string, string>;
}

export const newBindings = (): Bindings => ({ byPlaceholder: new Map(), byValue: new Map() });

export const copyBindings = (bindings: Bindings): Bindings => ({
  byPlaceholder: new Map(bindings.byPlaceholder),
  byValue: new Map(bindings.byValue),
});

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const templateMatches = (template: string, actual: string): boolean => {
  const parts = template.split(PLACEHOLDER).map(escape);
  return new RegExp(`^${parts.join('[\\s\\S]*?')}$`).test(actual);
};

const isRecord = (u: unknown): u is Record<string, unknown> => typeof u === 'object' && u !== null && !Array.isArray(u);

/**
 * The paths where `actual` differs from `expected` (empty when they match). Bindings made by a
 * matching comparison are recorded in `bindings`; pass a copy when trying alternatives.
 *
 * @example
 * placeholderMismatches({ id: '<turn-1>' }, { id: '0194…' }, newBindings()); // []
 */
export const placeholderMismatches = (expected: unknown, actual: unknown, bindings: Bindings, path = '$'): string[] => {
  if (typeof expected === 'string' && ID_PLACEHOLDER.test(expected)) {
    if (typeof actual !== 'string') return [`${path}: expected an id for ${expected}, got ${JSON.stringify(actual)}`];
    const bound = bindings.byPlaceholder.get(expected);
    const owner = bindings.byValue.get(actual);
    if (bound === undefined && owner === undefined) {
      bindings.byPlaceholder.set(expected, actual);
      bindings.byValue.set(actual, expected);
      return [];
    }
    return bound === actual ? [] : [`${path}: ${expected} is ${bound ?? `unbound (value already bound to ${owner})`}, got ${actual}`];
  }
  if (typeof expected === 'string' && expected.search(PLACEHOLDER) !== -1) {
    if (expected.replace(PLACEHOLDER, '') === '') return []; // a whole-value placeholder such as "<unix-ts>" stands for a number too
    return typeof actual === 'string' && templateMatches(expected, actual) ? [] : [`${path}: ${JSON.stringify(actual)} does not match ${JSON.stringify(expected)}`];
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return [`${path}: expected an array, got ${JSON.stringify(actual)}`];
    if (actual.length !== expected.length) return [`${path}: expected ${expected.length} elements, got ${actual.length}`];
    return expected.flatMap((element, index) => placeholderMismatches(element, actual[index], bindings, `${path}[${index}]`));
  }
  if (isRecord(expected)) {
    if (!isRecord(actual)) return [`${path}: expected an object, got ${JSON.stringify(actual)}`];
    const actualKeys = Object.keys(actual).filter((key) => actual[key] !== undefined);
    const missing = Object.keys(expected).filter((key) => !(key in actual) || actual[key] === undefined);
    const extra = actualKeys.filter((key) => !(key in expected));
    if (missing.length > 0 || extra.length > 0) return [`${path}: keys differ (missing ${missing.join(',') || '-'}, extra ${extra.join(',') || '-'})`];
    return Object.keys(expected).flatMap((key) => placeholderMismatches(expected[key], actual[key], bindings, `${path}.${key}`));
  }
  return Object.is(expected, actual) ? [] : [`${path}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`];
};
