import { parse, stringify } from 'smol-toml';
import { deepEqual, fromToml, isTable, valueAtPath, type JsonTable, type JsonValue } from './configValue.js';
import { scanToml, type TomlHeader, type TomlKeyValue } from './tomlDocument.js';

/** The new text of a config file, and whether it kept the untouched parts of the old text. */
export interface RewrittenToml {
  readonly text: string;
  /** `false` when the targeted edit could not be made and the file was serialized afresh. */
  readonly preserved: boolean;
}

/**
 * Rewrites `text` (whose table is `before`) so that it holds `after`, touching only the entries
 * that changed: comments, blank lines, key order and formatting elsewhere survive. Changed values
 * are replaced in place, removed keys lose their line (removed tables their sections), new keys
 * go next to their table's other keys and new tables become sections at the end. The result is
 * re-parsed and compared with `after`; if the targeted edit is not exactly right (or the layout
 * is one it does not follow), the whole table is serialized instead, so the file is always
 * correct.
 *
 * @example
 * rewriteToml('# mine\nmodel = "o3" # fast\n', { model: 'o3' }, { model: 'gpt-5' }).text;
 * // '# mine\nmodel = "gpt-5" # fast\n'
 */
export const rewriteToml = (text: string, before: JsonTable, after: JsonTable): RewrittenToml => {
  if (text.trim() !== '') {
    try {
      const edited = keepEmptyTables(changes(before, after).reduce((current, change) => applyChange(current, change, after), text), after);
      if (deepEqual(fromToml(parse(edited)), after)) return { text: edited, preserved: true };
    } catch {
      // A layout the editor does not follow: serialize afresh below.
    }
  }
  return { text: stringify(after), preserved: false };
};

type Change = { readonly path: readonly string[]; readonly value?: JsonValue };

/** Leaf-level differences: a changed or new value (`value` set) or a removed key (`value` absent). */
const changes = (before: JsonTable, after: JsonTable, prefix: readonly string[] = []): Change[] => {
  const out: Change[] = [];
  for (const key of Object.keys(before)) if (!Object.hasOwn(after, key)) out.push({ path: [...prefix, key] });
  for (const [key, value] of Object.entries(after)) {
    const old = Object.hasOwn(before, key) ? before[key] : undefined;
    if (isTable(old) && isTable(value)) out.push(...changes(old, value, [...prefix, key]));
    else if (old === undefined || !deepEqual(old, value)) out.push({ path: [...prefix, key], value });
  }
  return out;
};

/** Applies one change to the text, re-reading the layout first (earlier changes moved offsets). */
const applyChange = (text: string, change: Change, after: JsonTable): string => {
  const entries = scanToml(text);
  const lines = entries.filter((e): e is TomlKeyValue => e.kind === 'keyValue');
  const holder = lines.find((line) => startsWith(change.path, line.path));
  if (holder && holder.path.length < change.path.length) {
    // The change is inside an inline table or array: write that whole value again.
    return splice(text, holder.valueStart, holder.valueEnd, inline(valueAtPath(after, holder.path)!));
  }
  if (holder) {
    return change.value === undefined
      ? splice(text, holder.start, holder.end, '')
      : splice(text, holder.valueStart, holder.valueEnd, inline(change.value));
  }
  // No line holds the key: it is a table made of sections and dotted keys, or it is new.
  const cleared = removeTable(text, change.path);
  return change.value === undefined ? cleared : insert(cleared, change.path, change.value);
};

/**
 * A table emptied by removals (e.g. `[profiles.fast]` was the only section of `profiles`) vanishes
 * from the text; it gets a header of its own so the file still holds it.
 */
const keepEmptyTables = (text: string, after: JsonTable): string => {
  const written = fromToml(parse(text));
  const empty = (value: JsonValue, path: readonly string[]): string[][] =>
    isTable(value)
      ? Object.keys(value).length === 0 && path.length > 0
        ? [[...path]]
        : Object.entries(value).flatMap(([k, v]) => empty(v, [...path, k]))
      : [];
  return empty(after, [])
    .filter((path) => valueAtPath(written, path) === undefined)
    .reduce((current, path) => appendSection(current, path, {}), text);
};

/** Removes every section and dotted-key line of the table at `path`. */
const removeTable = (text: string, path: readonly string[]): string => {
  const entries = scanToml(text);
  const spans: Array<[number, number]> = [];
  entries.forEach((entry, i) => {
    if (!startsWith(entry.path, path)) return;
    if (entry.kind === 'keyValue') {
      if (entry.section.length < path.length || !startsWith(entry.section, path)) spans.push([entry.start, entry.end]);
      return;
    }
    const next = entries.slice(i + 1).find((e) => e.kind === 'header');
    spans.push([commentedStart(text, entry.start), next ? commentedStart(text, next.start) : text.length]);
  });
  return spans.reverse().reduce((current, [start, end]) => splice(current, start, end, ''), text);
};

/** Adds a key that no line holds yet: a value next to its table's keys, a table as a new section. */
const insert = (text: string, path: readonly string[], value: JsonValue): string => {
  const parent = path.slice(0, -1);
  if (isTable(value)) return appendSection(text, path, value);
  const entries = scanToml(text);
  const lines = entries.filter((e): e is TomlKeyValue => e.kind === 'keyValue');
  const headers = entries.filter((e): e is TomlHeader => e.kind === 'header');
  const line = (under: readonly string[]): string => `${key(path.slice(under.length))} = ${inline(value)}\n`;
  if (parent.length === 0) {
    const lastTop = lines.filter((l) => l.section.length === 0).at(-1);
    if (lastTop) return insertLine(text, lastTop.end, line([]));
    const first = headers[0];
    if (!first) return insertLine(text, text.length, line([]));
    const top = commentedStart(text, first.start);
    return splice(text, top, top, `${line([])}\n`);
  }
  const at = entries.findIndex((e) => e.kind === 'header' && !e.arrayOfTables && samePath(e.path, parent));
  if (at >= 0) {
    const next = entries.findIndex((e, i) => i > at && e.kind === 'header');
    const block = entries.slice(at, next < 0 ? entries.length : next);
    return insertLine(text, block[block.length - 1]!.end, line(parent));
  }
  const sibling = lines.findLast((l) => startsWith(l.path, parent) && l.path.length > parent.length && startsWith(parent, l.section));
  if (sibling) return insertLine(text, sibling.end, line(sibling.section));
  return appendSection(text, parent, { [path[path.length - 1]!]: value });
};

/** Appends `[path]` (and its sub-sections) at the end of the text. */
const appendSection = (text: string, path: readonly string[], table: JsonTable): string => {
  const body = section(path, table, true);
  if (text === '') return body;
  return `${text}${text.endsWith('\n') ? '' : '\n'}\n${body}`;
};

/** `[path]` with the table's values, then its sub-tables as their own sections. */
const section = (path: readonly string[], table: JsonTable, explicit: boolean): string => {
  const entries = Object.entries(table);
  const values = entries.filter(([, v]) => !isTable(v));
  const tables = entries.filter((e): e is [string, JsonTable] => isTable(e[1]));
  const own = explicit || values.length > 0 || tables.length === 0
    ? `[${key(path)}]\n${values.map(([k, v]) => `${key([k])} = ${inline(v)}\n`).join('')}`
    : '';
  const nested = tables.map(([k, v]) => section([...path, k], v, false));
  return [own, ...nested].filter((s) => s !== '').join('\n');
};

/** A key path as TOML writes it: bare segments where allowed, quoted otherwise. */
const key = (path: readonly string[]): string =>
  path.map((segment) => (/^[A-Za-z0-9_-]+$/.test(segment) ? segment : basicString(segment))).join('.');

/** A value on one line: strings, numbers, booleans, arrays and inline tables. */
const inline = (value: JsonValue): string => {
  if (typeof value === 'string') return basicString(value);
  if (Array.isArray(value)) return `[${value.map(inline).join(', ')}]`;
  if (isTable(value)) {
    const items = Object.entries(value).map(([k, v]) => `${key([k])} = ${inline(v)}`);
    return items.length === 0 ? '{}' : `{ ${items.join(', ')} }`;
  }
  if (value === null) throw new Error('TOML has no null');
  return String(value);
};

// JSON's escapes are all TOML escapes; DEL is the one control character JSON leaves raw.
const basicString = (s: string): string => JSON.stringify(s).replace(/\u007f/g, '\\u007F');

/** Where a section really begins: the comment lines right above its header belong to it. */
const commentedStart = (text: string, headerStart: number): number => {
  let at = headerStart;
  for (;;) {
    const prevStart = text.lastIndexOf('\n', at - 2) + 1;
    if (at === 0 || !/^[ \t]*#/.test(text.slice(prevStart, at))) return at;
    at = prevStart;
  }
};

const insertLine = (text: string, at: number, line: string): string =>
  at === text.length && text !== '' && !text.endsWith('\n') ? `${text}\n${line}` : splice(text, at, at, line);

const splice = (text: string, start: number, end: number, replacement: string): string =>
  text.slice(0, start) + replacement + text.slice(end);

const startsWith = (path: readonly string[], prefix: readonly string[]): boolean =>
  prefix.length <= path.length && prefix.every((segment, i) => path[i] === segment);

const samePath = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && startsWith(a, b);
