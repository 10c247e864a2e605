import { readFile } from 'node:fs/promises';
import { parse, TomlError } from 'smol-toml';
import { ConfigLoadError } from './configError.js';
import { fromToml, type JsonTable } from './configValue.js';

/** A config file as read from disk: its text (for targeted edits and error locations) and its table. */
export interface TomlFile {
  readonly text: string;
  readonly table: JsonTable;
}

/**
 * Parses TOML text into a plain table; a syntax error becomes a `ConfigLoadError` naming `file`
 * with the 1-based line/column smol-toml reports.
 *
 * @example
 * parseToml('model = "o3"', '/home/u/.codex/config.toml'); // { model: 'o3' }
 */
export const parseToml = (text: string, file: string): JsonTable => {
  try {
    return fromToml(parse(text)) as JsonTable;
  } catch (err) {
    if (!(err instanceof TomlError)) throw err;
    // smol-toml's message is "Invalid TOML document: <problem>" followed by a code excerpt.
    const problem = err.message.split('\n', 1)[0]!.replace(/^Invalid TOML document: /, '');
    const at = { line: err.line, column: err.column };
    throw new ConfigLoadError(problem, { file, range: { start: at, end: at } });
  }
};

/**
 * Reads and parses a config file; `undefined` when it does not exist (a missing layer file is an
 * empty layer, SPEC §10.1). Other read failures and syntax errors throw `ConfigLoadError`.
 *
 * @example
 * const user = await readTomlFile(join(codexHome, 'config.toml'));
 */
export const readTomlFile = async (file: string): Promise<TomlFile | undefined> => {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw new ConfigLoadError(`Failed to read config file ${file}: ${(err as Error).message}`);
  }
  return { text, table: parseToml(text, file) };
};
