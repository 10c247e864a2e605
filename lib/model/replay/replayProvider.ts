import * as E from 'fp-ts/lib/Either.js';

/** The id of the built-in offline provider (`model_provider = "replay"`). */
export const REPLAY_PROVIDER_ID = 'replay';
/** Its catalog model (`lib/model/catalogData.ts`). */
export const REPLAY_MODEL = 'replay-demo';

/** What `[model_providers.replay]` may set for the built-in replay provider. */
export interface ReplayProviderOptions {
  /** A script file, or a folder of `*.json` script files; default: the bundled demos. */
  readonly scripts?: string;
  /** Pause before each delta, in ms, overriding the scripts' own `delayMs`. */
  readonly delayMs?: number;
}

const isTable = (value: unknown): value is Readonly<Record<string, unknown>> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);

/**
 * The replay options of a `[model_providers.replay]` table (`scripts`, `delay_ms`); the other
 * keys of the table are ignored, as for every built-in provider. Left: a message naming the key.
 *
 * @example
 * replayOptionsFromTable({ scripts: '~/demo.json', delay_ms: 0 }, 'model_providers.replay'); // right({ scripts: '~/demo.json', delayMs: 0 })
 * replayOptionsFromTable({ delay_ms: -1 }, 'model_providers.replay'); // left('model_providers.replay.delay_ms: expected a non-negative integer, got -1')
 */
export const replayOptionsFromTable = (table: unknown, path: string): E.Either<string, ReplayProviderOptions> => {
  if (table === undefined) return E.right({});
  if (!isTable(table)) return E.left(`${path}: expected a table, got ${JSON.stringify(table)}`);
  const { scripts, delay_ms: delay } = table;
  if (scripts !== undefined && (typeof scripts !== 'string' || scripts.trim() === '')) {
    return E.left(`${path}.scripts: expected the path of a script file or folder, got ${JSON.stringify(scripts)}`);
  }
  const delayMs = typeof delay === 'bigint' ? Number(delay) : delay;
  if (delayMs !== undefined && !(typeof delayMs === 'number' && Number.isSafeInteger(delayMs) && delayMs >= 0)) {
    return E.left(`${path}.delay_ms: expected a non-negative integer, got ${JSON.stringify(typeof delay === 'bigint' ? String(delay) : delay)}`);
  }
  return E.right({ ...(scripts === undefined ? {} : { scripts }), ...(delayMs === undefined ? {} : { delayMs }) });
};
