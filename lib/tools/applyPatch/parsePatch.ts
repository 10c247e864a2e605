import * as E from 'fp-ts/lib/Either.js';
import type { Patch, PatchError, PatchOperation, UpdateChunk } from './patch.js';

const BEGIN = '*** Begin Patch';
const END = '*** End Patch';
const END_OF_FILE = '*** End of File';
const ADD = /^\*\*\* Add File:(.*)$/;
const DELETE = /^\*\*\* Delete File:(.*)$/;
const UPDATE = /^\*\*\* Update File:(.*)$/;
const MOVE = /^\*\*\* Move to:(.*)$/;
// `apply_patch <<'EOF'`, `<<EOF` or `cd dir && apply_patch <<"EOF"`: what a model writes when it
// treats the tool like a shell command. The body between the marker lines is the patch.
const HEREDOC =
  /^(?:(?:cd\s+('[^']*'|"[^"]*"|[^\s'"&;|]+)\s*&&\s*)?(?:apply_patch|applypatch)\s*)?<<-?\s*(['"]?)([A-Za-z_][A-Za-z0-9_]*)\2$/;
// A git-style header (`@@ -12,4 +12,5 @@ fn main()`): the numbers are ignored, since hunks are
// located by content, and the text after the second `@@` is the context line.
const GIT_HUNK_HEADER = /^@@ -\d+(?:,\d+)? \+\d+(?:,\d+)? @@(.*)$/;

const HEADERS_HINT = "'*** Add File: <path>', '*** Delete File: <path>' or '*** Update File: <path>'";
const HUNK_LINE_HINT =
  "every line of a hunk starts with ' ' (unchanged), '-' (removed) or '+' (added), and the next hunk starts with '@@'";

// Long enough to recognise a line, short enough that one huge line cannot flood the message.
const MAX_QUOTE = 120;
const quote = (text: string): string => `'${text.length > MAX_QUOTE ? `${text.slice(0, MAX_QUOTE)}…` : text}'`;

interface Line {
  readonly text: string;
  /** 1-based line number in the text the model sent. */
  readonly no: number;
}

class ParseFailure extends Error {
  constructor(readonly line: number | undefined, detail: string) {
    super(line === undefined ? detail : `line ${line}: ${detail}`);
  }
}

/**
 * Parses an `apply_patch` envelope into plain data, without touching any file.
 *
 * Lenient where models commonly stray (and the reference tool tolerates it): surrounding blank
 * lines, whitespace around the marker lines, CRLF line ends, a heredoc wrapper
 * (`apply_patch <<'EOF'` … `EOF`, optionally after `cd <dir> &&`), blank lines between operations
 * and hunks, a first hunk without `@@`, and git-style `@@ -a,b +c,d @@` headers. Anything else that
 * does not fit the grammar is an error naming the line (1-based, in the text as sent) and what was
 * expected there.
 *
 * @example
 * parsePatch('*** Begin Patch\n*** Update File: a.txt\n@@\n-old\n+new\n*** End Patch');
 * // right({ operations: [{ type: 'update', path: 'a.txt', movePath: undefined,
 * //   chunks: [{ context: undefined, oldLines: ['old'], newLines: ['new'], isEndOfFile: false, line: 3 }], line: 2 }],
 * //   text: '*** Begin Patch\n…\n*** End Patch', workdir: undefined })
 */
export const parsePatch = (input: string): E.Either<PatchError, Patch> => {
  try {
    return E.right(parseOrThrow(input));
  } catch (error) {
    if (!(error instanceof ParseFailure)) throw error;
    return E.left({ kind: 'parse', message: error.message, line: error.line });
  }
};

const parseOrThrow = (input: string): Patch => {
  const all = input.split('\n').map((text, i): Line => ({ text: text.endsWith('\r') ? text.slice(0, -1) : text, no: i + 1 }));
  let lines = trimBlankLines(all);
  if (lines.length === 0) throw new ParseFailure(undefined, `the patch is empty; it must start with '${BEGIN}' and end with '${END}'`);

  let workdir: string | undefined;
  const heredoc = HEREDOC.exec(lines[0]!.text.trim());
  if (heredoc !== null && lines.length >= 2 && lines[lines.length - 1]!.text.trim() === heredoc[3]) {
    workdir = heredoc[1] === undefined ? undefined : unquote(heredoc[1]);
    lines = trimBlankLines(lines.slice(1, -1));
    if (lines.length === 0) throw new ParseFailure(undefined, 'the heredoc holds no patch');
  }

  const first = lines[0]!;
  const last = lines[lines.length - 1]!;
  if (first.text.trim() !== BEGIN) {
    throw new ParseFailure(first.no, `a patch must start with '${BEGIN}', got ${quote(first.text)}`);
  }
  if (lines.length < 2 || last.text.trim() !== END) {
    throw new ParseFailure(last.no, `a patch must end with '${END}', got ${quote(last.text)}`);
  }

  const operations = parseOperations(lines.slice(1, -1));
  if (operations.length === 0) {
    throw new ParseFailure(last.no, `the patch contains no file operations; add at least one ${HEADERS_HINT} section`);
  }
  return { operations, text: lines.map((l) => l.text).join('\n'), workdir };
};

const trimBlankLines = (lines: readonly Line[]): Line[] => {
  let start = 0;
  let end = lines.length;
  while (start < end && lines[start]!.text.trim() === '') start++;
  while (end > start && lines[end - 1]!.text.trim() === '') end--;
  return lines.slice(start, end);
};

const unquote = (word: string): string =>
  (word.startsWith("'") && word.endsWith("'")) || (word.startsWith('"') && word.endsWith('"')) ? word.slice(1, -1) : word;

const headerPath = (match: RegExpExecArray, line: Line): string => {
  const path = match[1]!.trim();
  if (path === '') throw new ParseFailure(line.no, `${quote(line.text.trim())} names no file`);
  return path;
};

const parseOperations = (body: readonly Line[]): PatchOperation[] => {
  const operations: PatchOperation[] = [];
  let i = 0;
  while (i < body.length) {
    const line = body[i]!;
    const header = line.text.trim();
    if (header === '') {
      i++;
      continue;
    }
    const add = ADD.exec(header);
    const del = DELETE.exec(header);
    const update = UPDATE.exec(header);
    if (add !== null) {
      const path = headerPath(add, line);
      let contents = '';
      i++;
      while (i < body.length && body[i]!.text.startsWith('+')) contents += `${body[i++]!.text.slice(1)}\n`;
      operations.push({ type: 'add', path, contents, line: line.no });
    } else if (del !== null) {
      operations.push({ type: 'delete', path: headerPath(del, line), line: line.no });
      i++;
    } else if (update !== null) {
      const parsed = parseUpdate(body, i, headerPath(update, line));
      operations.push(parsed.operation);
      i = parsed.next;
    } else {
      throw new ParseFailure(line.no, unexpectedLine(line, operations[operations.length - 1]));
    }
  }
  return operations;
};

const unexpectedLine = (line: Line, previous: PatchOperation | undefined): string => {
  const text = line.text.trim();
  if (text === END_OF_FILE) return `'${END_OF_FILE}' must directly follow the last line of a hunk`;
  if (MOVE.test(text)) return "'*** Move to:' must directly follow its '*** Update File:' line";
  const base = `${quote(line.text)} is not a file operation; expected ${HEADERS_HINT}`;
  return previous?.type === 'add'
    ? `${base} (every line of an added file starts with '+', an empty line is a lone '+')`
    : base;
};

const parseUpdate = (body: readonly Line[], at: number, path: string): { operation: PatchOperation; next: number } => {
  const header = body[at]!;
  let i = at + 1;
  let movePath: string | undefined;
  const move = i < body.length ? MOVE.exec(body[i]!.text.trim()) : null;
  if (move !== null) {
    movePath = headerPath(move, body[i]!);
    i++;
  }
  const chunks: UpdateChunk[] = [];
  while (i < body.length) {
    const text = body[i]!.text;
    if (text.trim() === '') {
      i++;
      continue;
    }
    // `*** End of File` is consumed by the chunk it closes, so any `*` line here starts the next
    // operation (or is an error the operation loop reports).
    if (text.startsWith('*')) break;
    const parsed = parseChunk(body, i, path, chunks.length === 0);
    chunks.push(parsed.chunk);
    i = parsed.next;
  }
  if (chunks.length === 0) {
    throw new ParseFailure(header.no, `'*** Update File: ${path}' has no hunks; add at least one '@@' hunk with the lines to change`);
  }
  return { operation: { type: 'update', path, movePath, chunks, line: header.no }, next: i };
};

const parseChunk = (
  body: readonly Line[],
  at: number,
  path: string,
  isFirst: boolean,
): { chunk: UpdateChunk; next: number } => {
  const start = body[at]!;
  let context: string | undefined;
  let i = at;
  const header = start.text.trimEnd();
  if (header.startsWith('@@')) {
    const git = GIT_HUNK_HEADER.exec(header);
    const text = git === null ? header.slice(header.startsWith('@@ ') ? 3 : 2) : git[1]!.trim();
    context = text.trim() === '' ? undefined : text;
    i++;
  } else if (!isFirst) {
    throw new ParseFailure(start.no, `${quote(start.text)} in '${path}' is not a hunk line; ${HUNK_LINE_HINT}`);
  }

  const oldLines: string[] = [];
  const newLines: string[] = [];
  let isEndOfFile = false;
  let count = 0;
  for (; i < body.length; i++) {
    const text = body[i]!.text;
    if (text.trimEnd() === END_OF_FILE) {
      if (count === 0) throw new ParseFailure(body[i]!.no, `'${END_OF_FILE}' must follow the lines of a hunk, but this hunk has none`);
      isEndOfFile = true;
      i++;
      break;
    }
    const marker = text[0];
    if (marker === undefined) {
      // A model often drops the leading space of an empty unchanged line.
      oldLines.push('');
      newLines.push('');
    } else if (marker === ' ') {
      oldLines.push(text.slice(1));
      newLines.push(text.slice(1));
    } else if (marker === '-') {
      oldLines.push(text.slice(1));
    } else if (marker === '+') {
      newLines.push(text.slice(1));
    } else if (count === 0 && marker !== '@' && marker !== '*') {
      throw new ParseFailure(body[i]!.no, `${quote(text)} in '${path}' is not a hunk line; ${HUNK_LINE_HINT}`);
    } else {
      break;
    }
    count++;
  }
  if (count === 0) throw new ParseFailure(start.no, `a hunk of '${path}' has no lines; ${HUNK_LINE_HINT}`);
  return { chunk: { context, oldLines, newLines, isEndOfFile, line: start.no }, next: i };
};
