import { appendFileSync, chmodSync, copyFileSync, mkdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { FIXTURES_DIR, rolloutFiles } from '../../reducers/referenceFixtures.js';

/** A deterministic UUIDv7-shaped id; a larger `n` sorts later. */
export const uuid = (n: number): string => `00000000-0000-7000-8000-${n.toString(16).padStart(12, '0')}`;

/** Seconds of 2026-11-24T00:00:00Z, a base for test times. */
export const DAY = 1_795_478_400;

/** `YYYY-MM-DDThh-mm-ss` of a UTC second, as rollout names spell it. */
export const stampOf = (seconds: number): string => new Date(seconds * 1000).toISOString().slice(0, 19).replaceAll(':', '-');

const iso = (seconds: number): string => new Date(seconds * 1000).toISOString();

export interface MetaFields {
  readonly source?: unknown;
  readonly model_provider?: string | null;
  readonly cwd?: string;
  readonly git?: Record<string, string>;
}

/** A `session_meta` line for thread `id` created at `seconds`. */
export const metaLine = (id: string, seconds: number, fields: MetaFields = {}): string =>
  JSON.stringify({
    timestamp: iso(seconds),
    type: 'session_meta',
    payload: {
      id,
      timestamp: iso(seconds),
      cwd: fields.cwd ?? '/home/dev/project',
      originator: 'codex_vscode',
      cli_version: '0.101.0',
      source: fields.source ?? 'vscode',
      ...(fields.model_provider === undefined ? { model_provider: 'openai' } : fields.model_provider === null ? {} : { model_provider: fields.model_provider }),
      ...(fields.git ? { git: fields.git } : {}),
    },
  });

export const userLine = (message: string, seconds = DAY): string =>
  JSON.stringify({ timestamp: iso(seconds), type: 'event_msg', payload: { type: 'user_message', message, images: [] } });

export const agentLine = (message: string, seconds = DAY): string =>
  JSON.stringify({ timestamp: iso(seconds), type: 'event_msg', payload: { type: 'agent_message', message } });

export const responseLine = (text: string, seconds = DAY): string =>
  JSON.stringify({ timestamp: iso(seconds), type: 'response_item', payload: { type: 'message', role: 'user', content: [{ type: 'input_text', text }] } });

export interface RolloutSpec {
  /** Thread id (also in the file name). */
  readonly id: string;
  /** Creation second: the file name's stamp and the meta's timestamp. */
  readonly created: number;
  /** First user message; `null` writes none (a thread that is not listed). */
  readonly preview?: string | null;
  readonly meta?: MetaFields;
  /** mtime in seconds; default `created + 10`. */
  readonly updated?: number;
  readonly archived?: boolean;
}

/** Where the reference keeps such a rollout under `home`. */
export const rolloutPath = (home: string, spec: Pick<RolloutSpec, 'id' | 'created' | 'archived'>): string => {
  const stamp = stampOf(spec.created);
  const name = `rollout-${stamp}-${spec.id}.jsonl`;
  return spec.archived ? join(home, 'archived_sessions', name) : join(home, 'sessions', stamp.slice(0, 4), stamp.slice(5, 7), stamp.slice(8, 10), name);
};

/** Writes a small rollout (meta, a context item, the user message, an answer) and sets its mtime. */
export const writeRollout = (home: string, spec: RolloutSpec): string => {
  const path = rolloutPath(home, spec);
  mkdirSync(dirname(path), { recursive: true });
  const preview = spec.preview === undefined ? `thread ${spec.id.slice(-4)}` : spec.preview;
  const lines = [metaLine(spec.id, spec.created, spec.meta), responseLine('<environment_context>'), ...(preview === null ? [] : [userLine(preview), agentLine('ok')])];
  writeFileSync(path, `${lines.join('\n')}\n`);
  setMtime(path, spec.updated ?? spec.created + 10);
  return path;
};

/** Appends lines as a writer would, then pins the mtime (tests never depend on the clock). */
export const appendLines = (path: string, lines: readonly string[], mtime: number): void => {
  appendFileSync(path, `${lines.join('\n')}\n`);
  setMtime(path, mtime);
};

export const setMtime = (path: string, seconds: number): void => utimesSync(path, seconds, seconds);

/** A reference rollout copied into a test home. */
export interface CopiedRollout {
  readonly path: string;
  readonly id: string;
  /** Seconds of the last line's timestamp: the file's mtime, as when the reference wrote it. */
  readonly lastWrite: number;
}

/**
 * Copies the rollouts the reference left in `scenarios` (../shared/fixtures) into `home`'s
 * `sessions/`, with each file's mtime set to its last line's time, as it was when written.
 */
export const copyReferenceRollouts = (home: string, scenarios: readonly string[]): CopiedRollout[] =>
  scenarios.flatMap((scenario) =>
    rolloutFiles(scenario).map((source) => {
      const path = join(home, relative(join(FIXTURES_DIR, scenario, 'codex_home'), source));
      mkdirSync(dirname(path), { recursive: true });
      copyFileSync(source, path);
      chmodSync(path, 0o644);
      const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
      const first = JSON.parse(lines[0]!) as { payload: { id: string } };
      const lastWrite = Date.parse((JSON.parse(lines[lines.length - 1]!) as { timestamp: string }).timestamp) / 1000;
      utimesSync(path, lastWrite, lastWrite);
      return { path, id: first.payload.id, lastWrite };
    }),
  );
