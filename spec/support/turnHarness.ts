import { existsSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MockResponsesServer, type MockResponse } from './mockResponses.js';
import { RpcClient, type Message } from './rpcClient.js';
import { ServerProcess } from './serverProcess.js';

/** A TOML value for the simple scalars a provider table holds. */
const tomlValue = (value: unknown): string => (typeof value === 'string' ? JSON.stringify(value) : String(value));

/** The `config.toml` of a CODEX_HOME whose model is served by `mock`, plus `extra` TOML. */
export const mockConfig = (mock: MockResponsesServer, extra = '', providerOverrides: Readonly<Record<string, unknown>> = {}): string => {
  const table = Object.entries(mock.providerTable(providerOverrides))
    .map(([key, value]) => `${key} = ${tomlValue(value)}`)
    .join('\n');
  // Top-level keys must come before any table.
  const [topLevel, tables] = splitTables(extra);
  const model = /^model\s*=/m.test(topLevel) ? '' : 'model = "mock-model"\n';
  return `${model}model_provider = "mock"\n${topLevel}\n[model_providers.mock]\n${table}\n${tables}`;
};

const splitTables = (extra: string): [string, string] => {
  const at = extra.search(/^\[/m);
  return at < 0 ? [extra, ''] : [extra.slice(0, at), extra.slice(at)];
};

export interface TurnHarness {
  readonly server: ServerProcess;
  readonly client: RpcClient;
  readonly mock: MockResponsesServer;
  readonly codexHome: string;
  /** A fresh project folder (realpath), removed by `cleanupTurnHarnesses`. */
  readonly cwd: string;
}

export interface TurnHarnessOptions {
  /** Extra `config.toml` text (top-level keys and tables); a function gets the mock (for its URL). */
  readonly config?: string | ((mock: MockResponsesServer) => string);
  /** Overrides of the mock provider table (`stream_max_retries`, …). */
  readonly provider?: Readonly<Record<string, unknown>>;
  /** `initialize` capabilities (e.g. `{ experimentalApi: true }`). */
  readonly capabilities?: Record<string, unknown> | null;
  /** Extra CLI arguments after `app-server` (e.g. `-c key=value`). */
  readonly args?: readonly string[];
  /** Extra environment of the server process; a function gets the mock (for its URL). */
  readonly env?: NodeJS.ProcessEnv | ((mock: MockResponsesServer) => NodeJS.ProcessEnv);
}

const mocks = new Set<MockResponsesServer>();
const dirs = new Set<string>();

/**
 * Starts a mock Responses API scripted with `responses`, a CODEX_HOME configured for it, and the
 * real server over stdio, initialized. Call `cleanupTurnHarnesses` in `afterEach`.
 */
export const startTurnHarness = async (responses: readonly MockResponse[], options: TurnHarnessOptions = {}): Promise<TurnHarness> => {
  const mock = await MockResponsesServer.start(responses);
  mocks.add(mock);
  const codexHome = mkdtempSync(join(tmpdir(), 'rxagent-turns-home-'));
  dirs.add(codexHome);
  const cwd = realpathSync(mkdtempSync(join(tmpdir(), 'rxagent-turns-cwd-')));
  dirs.add(cwd);
  const extraConfig = typeof options.config === 'function' ? options.config(mock) : options.config;
  writeFileSync(join(codexHome, 'config.toml'), mockConfig(mock, extraConfig, options.provider));
  const env = typeof options.env === 'function' ? options.env(mock) : options.env;
  const server = ServerProcess.start(['app-server', ...(options.args ?? [])], env ? { codexHome, env } : { codexHome });
  const client = RpcClient.stdio(server);
  await client.initialize(options.capabilities ?? null);
  return { server, client, mock, codexHome, cwd };
};

/** Closes every mock and removes every folder the harnesses made (servers are reaped by the root hook). */
export const cleanupTurnHarnesses = async (): Promise<void> => {
  await Promise.all([...mocks].map((mock) => mock.close()));
  mocks.clear();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  dirs.clear();
};

export const resultOf = <T = Record<string, unknown>>(m: Message): T => {
  if (!('result' in m)) throw new Error(`expected a result, got ${JSON.stringify(m)}`);
  return m.result as T;
};

export const errorOf = (m: Message): { code: number; message: string; data: { kind: string } } => {
  if (!('error' in m)) throw new Error(`expected an error, got ${JSON.stringify(m)}`);
  return m.error as { code: number; message: string; data: { kind: string } };
};

/** Starts a thread in the harness's project folder; resolves with its id once `thread/started` arrived. */
export const startThread = async (h: TurnHarness, params: Record<string, unknown> = {}): Promise<{ threadId: string; path: string }> => {
  const result = resultOf<{ thread: { id: string; path: string } }>(await h.client.request('thread/start', { cwd: h.cwd, ...params }));
  await h.client.waitFor((m) => m.method === 'thread/started' && (m.params as { thread: { id: string } }).thread.id === result.thread.id);
  return { threadId: result.thread.id, path: result.thread.path };
};

export const text = (value: string): Record<string, unknown> => ({ type: 'text', text: value, text_elements: [] });

/** Sends `turn/start`; resolves with the response message and the turn id. */
export const startTurn = async (h: TurnHarness, threadId: string, input: unknown[], extra: Record<string, unknown> = {}): Promise<{ response: Message; turnId: string }> => {
  const response = await h.client.request('turn/start', { threadId, input, ...extra });
  return { response, turnId: resultOf<{ turn: { id: string } }>(response).turn.id };
};

/** Resolves with the `turn/completed` of `turnId` that `client` receives (past or future). */
export const turnCompletedOn = (client: RpcClient, turnId: string): Promise<Message> =>
  client.waitFor((m) => m.method === 'turn/completed' && (m.params as { turn: { id: string } }).turn.id === turnId);

/** Resolves with the `turn/completed` of `turnId`. */
export const turnCompleted = (h: TurnHarness, turnId: string): Promise<Message> => turnCompletedOn(h.client, turnId);

/**
 * Another server process on the harness's CODEX_HOME and mock, over stdio, initialized: a
 * "restart" once the first process has exited. Reaped by the root hook like any other.
 */
export const serveAgain = async (h: TurnHarness): Promise<{ server: ServerProcess; client: RpcClient }> => {
  const server = ServerProcess.start(['app-server'], { codexHome: h.codexHome });
  const client = RpcClient.stdio(server);
  await client.initialize();
  return { server, client };
};

/** Resolves with the first server request of `method` (past or future). */
export const serverRequest = (h: TurnHarness, method: string): Promise<Message> =>
  h.client.waitFor((m) => m.method === method && m.id !== undefined);

/** Answers a server request. */
export const answer = (h: TurnHarness, request: Message, result: unknown): void => {
  h.client.send({ id: request.id!, result } as Message);
};

/** The messages received after `from` (exclusive) up to and including `to`. */
export const between = (h: TurnHarness, from: Message, to: Message): Message[] => {
  const start = h.client.received.indexOf(from);
  const end = h.client.received.indexOf(to);
  if (start < 0 || end < 0) throw new Error('between: message not received');
  return h.client.received.slice(start + 1, end + 1);
};

/** The notifications among `messages` (no responses, no server requests). */
export const notificationsOf = (messages: readonly Message[]): Message[] => messages.filter((m) => m.id === undefined && typeof m.method === 'string');

/** The rollout lines of a file. */
export const rolloutLines = (path: string): Array<{ timestamp: string; type: string; payload: Record<string, any> }> =>
  existsSync(path)
    ? readFileSync(path, 'utf8')
        .split('\n')
        .filter((l) => l.trim() !== '')
        .map((l) => JSON.parse(l) as { timestamp: string; type: string; payload: Record<string, any> })
    : [];

/** The reference fixtures (../shared/fixtures/reference-0.101.0), seen from dist/spec/support/. */
export const REFERENCE_FIXTURES = new URL('../../../../shared/fixtures/reference-0.101.0/', import.meta.url);

type TranscriptEntry = { dir: string; type: string; id?: number; method?: string; params?: unknown; result?: unknown };

/** The entries of a reference transcript (`<scenario>/transcript-v2.jsonl`). */
export const referenceTranscript = (scenario: string): TranscriptEntry[] =>
  readFileSync(new URL(`${scenario}/transcript-v2.jsonl`, REFERENCE_FIXTURES), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as TranscriptEntry);

/** Replaces every placeholder string (`<thread-1>`, `<turn-1>-plan`, …) inside `value` by `substitutions`. */
export const substitute = (value: unknown, substitutions: Readonly<Record<string, string>>): unknown => {
  if (typeof value === 'string') return Object.entries(substitutions).reduce((s, [from, to]) => s.split(from).join(to), value);
  if (Array.isArray(value)) return value.map((v) => substitute(v, substitutions));
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v, substitutions)]));
  return value;
};

/**
 * The notifications (method and params) the reference sent between the response to the request
 * `requestId` of `scenario` and the next `turn/completed`, placeholders substituted.
 */
export const referenceTurnNotifications = (scenario: string, requestId: number, substitutions: Readonly<Record<string, string>>): Array<{ method: string; params: unknown }> => {
  const entries = referenceTranscript(scenario).filter((e) => e.dir === 'recv');
  const start = entries.findIndex((e) => e.type === 'response' && e.id === requestId);
  if (start < 0) throw new Error(`no response ${requestId} in ${scenario}`);
  const out: Array<{ method: string; params: unknown }> = [];
  for (const e of entries.slice(start + 1)) {
    if (e.type !== 'notification') continue;
    out.push({ method: e.method!, params: substitute(e.params, substitutions) });
    if (e.method === 'turn/completed') return out;
  }
  throw new Error(`no turn/completed after response ${requestId} in ${scenario}`);
};

/** A reference response's result, placeholders substituted. */
export const referenceResult = (scenario: string, requestId: number, substitutions: Readonly<Record<string, string>>): unknown => {
  const entry = referenceTranscript(scenario).find((e) => e.dir === 'recv' && e.type === 'response' && e.id === requestId);
  if (!entry) throw new Error(`no response ${requestId} in ${scenario}`);
  return substitute(entry.result, substitutions);
};

/** Method and params of messages, for comparing with a reference transcript. */
export const methodAndParams = (messages: readonly Message[]): Array<{ method: string; params: unknown }> =>
  messages.map((m) => ({ method: m.method!, params: m.params }));
