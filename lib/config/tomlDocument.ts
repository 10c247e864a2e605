// A span index of a TOML document: where each table header and each key/value line sits in the
// text. It only needs to be right for documents that already parse (it runs after smol-toml), and
// it lets edits and error locations touch exactly the bytes of one entry.

/** `[a.b]` or `[[a.b]]`, spanning its whole line. */
export interface TomlHeader {
  readonly kind: 'header';
  readonly path: readonly string[];
  readonly arrayOfTables: boolean;
  /** Offset of the line's first character. */
  readonly start: number;
  /** Offset just past the line's newline (or the end of the text). */
  readonly end: number;
}

/** `key = value` on its own line(s), under the section of the header before it. */
export interface TomlKeyValue {
  readonly kind: 'keyValue';
  /** The full key path: the section's path, then the (possibly dotted) key. */
  readonly path: readonly string[];
  /** The path of the section the line is in (empty at the top). */
  readonly section: readonly string[];
  readonly start: number;
  readonly valueStart: number;
  readonly valueEnd: number;
  readonly end: number;
}

export type TomlEntry = TomlHeader | TomlKeyValue;

/**
 * A key segment no real key can contain: the section of `[[x]]` is `[...x, ARRAY_ELEMENT]`, so the
 * lines under an array-of-tables element never look like keys of a table `x`.
 */
const ARRAY_ELEMENT = '\u0000[]';

/**
 * The headers and key/value lines of a TOML document, in order. Throws on text it cannot follow
 * (callers then fall back to a safe path).
 *
 * @example
 * scanToml('model = "o3"\n[features]\nx = true\n').map((e) => e.path);
 * // [['model'], ['features'], ['features', 'x']]
 */
export const scanToml = (text: string): TomlEntry[] => new Scanner(text).scan();

class Scanner {
  private p = 0;
  private readonly entries: TomlEntry[] = [];
  private section: readonly string[] = [];

  constructor(private readonly text: string) {}

  scan(): TomlEntry[] {
    while (this.p < this.text.length) {
      const start = this.p;
      this.skipSpaces();
      const c = this.text[this.p];
      if (c === undefined) break;
      if (c === '\n' || c === '\r' || c === '#') this.finishLine();
      else if (c === '[') this.header(start);
      else this.keyValue(start);
    }
    return this.entries;
  }

  private header(start: number): void {
    const arrayOfTables = this.text.startsWith('[[', this.p);
    this.p += arrayOfTables ? 2 : 1;
    const path = this.key();
    this.expect(arrayOfTables ? ']]' : ']');
    this.finishLine();
    this.entries.push({ kind: 'header', path, arrayOfTables, start, end: this.p });
    this.section = arrayOfTables ? [...path, ARRAY_ELEMENT] : path;
  }

  private keyValue(start: number): void {
    const key = this.key();
    this.expect('=');
    this.skipSpaces();
    const valueStart = this.p;
    this.value();
    const valueEnd = this.p;
    this.finishLine();
    this.entries.push({ kind: 'keyValue', path: [...this.section, ...key], section: this.section, start, valueStart, valueEnd, end: this.p });
  }

  /** A dotted key, whitespace allowed around the dots; leaves `p` after trailing spaces. */
  private key(): string[] {
    const segments: string[] = [];
    for (;;) {
      this.skipSpaces();
      const c = this.text[this.p];
      if (c === '"' || c === "'") {
        const end = this.string();
        const raw = this.text.slice(this.p + 1, end - 1);
        segments.push(c === '"' ? decodeBasic(raw) : raw);
        this.p = end;
      } else {
        const bare = /^[A-Za-z0-9_-]+/.exec(this.text.slice(this.p, this.p + 256))?.[0];
        if (!bare) throw this.error('a key');
        segments.push(bare);
        this.p += bare.length;
      }
      this.skipSpaces();
      if (this.text[this.p] !== '.') return segments;
      this.p++;
    }
  }

  /** Skips one value of any kind. */
  private value(): void {
    const c = this.text[this.p];
    if (c === '"' || c === "'") {
      this.p = this.string();
      return;
    }
    if (c === '[' || c === '{') {
      this.bracketed();
      return;
    }
    // A scalar (number, boolean, datetime — which may contain a space) runs to a comment or the line end.
    const rest = /^[^#\r\n]*/.exec(this.text.slice(this.p))![0];
    const scalar = rest.trimEnd();
    if (scalar === '') throw this.error('a value');
    this.p += scalar.length;
  }

  /** An array or inline table, nested ones included; strings and comments inside are skipped whole. */
  private bracketed(): void {
    const closers: string[] = [];
    do {
      const c = this.text[this.p];
      if (c === undefined) throw this.error('a closing bracket');
      if (c === '"' || c === "'") {
        this.p = this.string();
        continue;
      }
      if (c === '#') {
        while (this.p < this.text.length && this.text[this.p] !== '\n') this.p++;
        continue;
      }
      if (c === '[') closers.push(']');
      else if (c === '{') closers.push('}');
      else if (c === ']' || c === '}') {
        if (closers.pop() !== c) throw this.error('a matching bracket');
      }
      this.p++;
    } while (closers.length > 0);
  }

  /** The offset just past the string (basic, literal, or multi-line of either) starting at `p`. */
  private string(): number {
    const quote = this.text[this.p]!;
    const triple = quote.repeat(3);
    let i = this.p;
    if (this.text.startsWith(triple, i)) {
      i += 3;
      for (;;) {
        if (i >= this.text.length) throw this.error('the end of a string');
        if (quote === '"' && this.text[i] === '\\') i += 2;
        else if (this.text.startsWith(triple, i)) {
          // Up to two quotes may end the content right before the closing delimiter.
          let end = i + 3;
          while (end < i + 5 && this.text[end] === quote) end++;
          return end;
        } else i++;
      }
    }
    for (i++; ; i++) {
      const c = this.text[i];
      if (c === undefined || c === '\n') throw this.error('the end of a string');
      if (quote === '"' && c === '\\') i++;
      else if (c === quote) return i + 1;
    }
  }

  /** Trailing spaces, an optional comment, then the newline (or the end of the text). */
  private finishLine(): void {
    this.skipSpaces();
    if (this.text[this.p] === '#') while (this.p < this.text.length && this.text[this.p] !== '\n') this.p++;
    if (this.text[this.p] === '\r') this.p++;
    if (this.p < this.text.length && this.text[this.p] !== '\n') throw this.error('the end of the line');
    if (this.p < this.text.length) this.p++;
  }

  private skipSpaces(): void {
    while (this.text[this.p] === ' ' || this.text[this.p] === '\t') this.p++;
  }

  private expect(token: string): void {
    this.skipSpaces();
    if (!this.text.startsWith(token, this.p)) throw this.error(`\`${token}\``);
    this.p += token.length;
  }

  private error(what: string): Error {
    return new Error(`TOML scan: expected ${what} at offset ${this.p}`);
  }
}

const ESCAPES: Record<string, string> = { b: '\b', t: '\t', n: '\n', f: '\f', r: '\r', e: '\u001b', '"': '"', '\\': '\\' };

/** The content of a single-line basic string, escapes decoded. */
const decodeBasic = (raw: string): string =>
  raw.replace(/\\(u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|x[0-9A-Fa-f]{2}|.)/g, (_, esc: string) =>
    esc.length > 1 ? String.fromCodePoint(parseInt(esc.slice(1), 16)) : (ESCAPES[esc] ?? esc),
  );

/**
 * The span that defines `path` in a document: the value of the key/value line holding it (the
 * whole inline value when the path points inside one), or the header line of a table. Used to
 * point errors at the right place.
 *
 * @example
 * keySpan('[a]\nb = 5\n', ['a', 'b']); // { start: 8, end: 9 }
 */
export const keySpan = (text: string, path: readonly string[]): { start: number; end: number } | undefined => {
  const entries = scanToml(text);
  const holder = entries.find(
    (e) => e.kind === 'keyValue' && e.path.length <= path.length && e.path.every((s, i) => path[i] === s),
  ) as TomlKeyValue | undefined;
  if (holder) return { start: holder.valueStart, end: holder.valueEnd };
  const header = entries.find((e) => e.kind === 'header' && e.path.length === path.length && e.path.every((s, i) => path[i] === s));
  return header ? { start: header.start, end: header.end - 1 } : undefined;
};
