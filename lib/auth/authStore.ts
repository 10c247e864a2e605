import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/**
 * `CODEX_HOME/auth.json`, shared with the reference (SPEC §9.1): an API key, or managed ChatGPT
 * tokens with the time of their last refresh. Field names and order are the reference's.
 */
export interface AuthDotJson {
  readonly auth_mode?: 'apikey' | 'chatgpt';
  readonly OPENAI_API_KEY: string | null;
  readonly tokens?: StoredTokens;
  /** RFC 3339 time of the last token refresh. */
  readonly last_refresh?: string;
}

/** Managed ChatGPT tokens as stored (`id_token` is the raw JWT). */
export interface StoredTokens {
  readonly id_token: string;
  readonly access_token: string;
  readonly refresh_token: string;
  readonly account_id: string | null;
}

/** What a stored auth.json amounts to. */
export type StoredAuth =
  | { readonly mode: 'apikey'; readonly apiKey: string; readonly file: AuthDotJson }
  | { readonly mode: 'chatgpt'; readonly tokens: StoredTokens; readonly file: AuthDotJson };

/** The path of auth.json under a CODEX_HOME. */
export const authFile = (codexHome: string): string => join(codexHome, 'auth.json');

const isString = (value: unknown): value is string => typeof value === 'string';

/** Reads the stored tokens leniently: a file written by another version may lack `account_id`. */
const storedTokens = (value: unknown): StoredTokens | undefined => {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  if (!isString(v.id_token) || !isString(v.access_token) || !isString(v.refresh_token)) return undefined;
  return { id_token: v.id_token, access_token: v.access_token, refresh_token: v.refresh_token, account_id: isString(v.account_id) ? v.account_id : null };
};

/**
 * Interprets auth.json like the reference: an explicit `auth_mode` wins, otherwise an API key
 * means API-key auth and tokens mean ChatGPT. A missing file is `undefined`; so is a file that
 * is unreadable or holds no usable credentials (logged by the caller, never quoted).
 *
 * @example
 * loadStoredAuth('/home/u/.codex'); // { mode: 'apikey', apiKey: 'sk-…', file: {…} }
 */
export const loadStoredAuth = (codexHome: string): StoredAuth | undefined => {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(authFile(codexHome), 'utf8'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new Error(`auth.json is not readable JSON (${(err as NodeJS.ErrnoException).code ?? 'parse error'})`);
  }
  if (typeof raw !== 'object' || raw === null) throw new Error('auth.json does not hold a JSON object');
  const file = raw as AuthDotJson;
  const apiKey = isString(file.OPENAI_API_KEY) && file.OPENAI_API_KEY !== '' ? file.OPENAI_API_KEY : undefined;
  const tokens = storedTokens(file.tokens);
  const mode = file.auth_mode === 'apikey' || file.auth_mode === 'chatgpt' ? file.auth_mode : apiKey ? 'apikey' : 'chatgpt';
  if (mode === 'apikey' && apiKey) return { mode, apiKey, file };
  if (tokens) return { mode: 'chatgpt', tokens, file };
  return apiKey ? { mode: 'apikey', apiKey, file } : undefined;
};

/**
 * Writes auth.json atomically with mode 0600: a private temp file in the same folder is written,
 * flushed and renamed over the old one, so a reader (or a crash) never sees half a file and the
 * secret is never readable by others, not even briefly. Pretty-printed like the reference.
 *
 * @example
 * await saveAuthDotJson(codexHome, { auth_mode: 'apikey', OPENAI_API_KEY: 'sk-…' });
 */
export const saveAuthDotJson = async (codexHome: string, auth: AuthDotJson): Promise<void> => {
  const target = authFile(codexHome);
  await mkdir(dirname(target), { recursive: true });
  const temp = `${target}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  const handle = await open(temp, 'wx', 0o600);
  try {
    await handle.chmod(0o600);
    await handle.writeFile(JSON.stringify(auth, null, 2), 'utf8');
    await handle.sync();
  } catch (err) {
    await handle.close();
    await rm(temp, { force: true });
    throw err;
  }
  await handle.close();
  try {
    await rename(temp, target);
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
};

/** Deletes auth.json; true when there was one. */
export const deleteAuthDotJson = async (codexHome: string): Promise<boolean> => {
  try {
    await rm(authFile(codexHome));
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
};
