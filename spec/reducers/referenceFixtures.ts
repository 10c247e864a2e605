import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RolloutLine } from '../../lib/rollout/rolloutLine.js';

/**
 * The reference's recorded scenarios (../shared/fixtures/reference-0.101.0), read synchronously
 * for tests. Compiled, this module is dist/spec/reducers/referenceFixtures.js, four levels below
 * /work, where `shared/` sits beside the repository.
 */
export const FIXTURES_DIR = fileURLToPath(new URL('../../../../shared/fixtures/reference-0.101.0/', import.meta.url));

/** One message of a transcript-v2.jsonl. */
export interface TranscriptEntry {
  readonly dir: 'send' | 'recv' | 'harness';
  readonly type: string;
  readonly id?: number;
  readonly method?: string;
  readonly params?: Record<string, unknown>;
  readonly result?: Record<string, unknown>;
}

/** One request body the reference sent to the mock Responses server. */
export interface ModelRequest {
  readonly seq: number;
  readonly label?: string;
  readonly body: { readonly input: unknown[] };
}

const jsonl = <T>(path: string): T[] =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as T);

export const scenarios = (): string[] => readdirSync(FIXTURES_DIR).filter((name) => statSync(join(FIXTURES_DIR, name)).isDirectory()).sort();

const walk = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? walk(path) : entry.name.endsWith('.jsonl') ? [path] : [];
  });

/** The rollout files a scenario left behind, by path. */
export const rolloutFiles = (scenario: string): string[] => {
  const sessions = join(FIXTURES_DIR, scenario, 'codex_home', 'sessions');
  try {
    return walk(sessions).sort();
  } catch {
    return [];
  }
};

/** Every line of a rollout, decoded; a fixture line that does not decode fails the test. */
export const rolloutLines = (path: string): RolloutLine[] =>
  jsonl<unknown>(path).map((json, index) => {
    const decoded = RolloutLine.decode(json);
    if (decoded._tag === 'Left') throw new Error(`${path}:${index + 1} does not decode`);
    return decoded.right;
  });

/** The raw JSON of every line of a rollout. */
export const rolloutJson = (path: string): unknown[] => jsonl<unknown>(path);

export const transcript = (scenario: string): TranscriptEntry[] => jsonl<TranscriptEntry>(join(FIXTURES_DIR, scenario, 'transcript-v2.jsonl'));

export const modelRequests = (scenario: string): ModelRequest[] => jsonl<ModelRequest>(join(FIXTURES_DIR, scenario, 'model-requests.jsonl'));

/**
 * Which rollout file each `<thread-N>` of a scenario's transcript is. Transcripts hide the ids,
 * so this pins them by creation order: the threads that were materialized (a `turn/start` was
 * sent to them, or they are forks), in the order their `thread/start`/`thread/fork` responses
 * arrived, are the rollout files in the order of their `session_meta.timestamp`.
 */
export const pinnedThreads = (scenario: string): Map<string, string> => {
  const entries = transcript(scenario);
  const materialized = new Set(entries.filter((e) => e.dir === 'send' && e.method === 'turn/start').map((e) => String(e.params?.threadId)));
  const created: string[] = [];
  for (const entry of entries) {
    if (entry.dir !== 'recv' || entry.type !== 'response' || (entry.method !== 'thread/start' && entry.method !== 'thread/fork')) continue;
    const id = (entry.result?.thread as { id?: string } | undefined)?.id;
    if (id !== undefined && !created.includes(id) && (entry.method === 'thread/fork' || materialized.has(id))) created.push(id);
  }
  const files = rolloutFiles(scenario)
    .map((path) => ({ path, created: rolloutLines(path).find((line) => line.type === 'session_meta')?.payload as { timestamp: string } | undefined }))
    .sort((a, b) => (a.created?.timestamp ?? '').localeCompare(b.created?.timestamp ?? ''));
  if (files.length !== created.length) throw new Error(`${scenario}: ${created.length} materialized threads but ${files.length} rollout files`);
  return new Map(created.map((placeholder, index) => [placeholder, (files[index] as { path: string }).path]));
};
