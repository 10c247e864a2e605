import { existsSync, mkdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seededRandom } from './seededRandom.js';

/**
 * Realistic CODEX_HOMEs for the thread-list benchmark: `count` rollouts spread over a year of day
 * folders, most of 5–30 KB, some of 30–300 KB, a few of 0.3–5 MB (about 30 MB per 1,000 files),
 * with the reference's line layout, a mix of sources and providers, some threads resumed days
 * later, some with no user message yet, some archived. Deterministic (seeded), and cached under
 * the system temp folder between runs: generating 10,000 files takes a while.
 */

/** Bumped when the generated content changes, so stale caches are rebuilt. */
const GENERATOR = 'thread-list-bench-v1';
/** The last creation second (2026-11-24T00:00:00Z); threads go back a year from it. */
const END = 1_795_478_400;
const YEAR = 365 * 86_400;

const hex = (rand: () => number, digits: number): string =>
  Array.from({ length: digits }, () => Math.floor(rand() * 16).toString(16)).join('');

/** A UUIDv7 whose time part is `ms`, as the reference makes thread ids. */
const uuidv7 = (ms: number, rand: () => number): string => {
  const time = ms.toString(16).padStart(12, '0');
  return `${time.slice(0, 8)}-${time.slice(8)}-7${hex(rand, 3)}-${(8 + Math.floor(rand() * 4)).toString(16)}${hex(rand, 3)}-${hex(rand, 12)}`;
};

const stampOf = (seconds: number): string => new Date(seconds * 1000).toISOString().slice(0, 19).replaceAll(':', '-');
const iso = (ms: number): string => new Date(ms).toISOString();

const WORDS = 'the a fix test build refactor module parser server client thread index listing cursor page sort file folder rollout error retry timeout cache config provider model token stream event reducer operator spec bench'.split(' ');
const prose = (rand: () => number, chars: number): string => {
  const out: string[] = [];
  let length = 0;
  while (length < chars) {
    const word = WORDS[Math.floor(rand() * WORDS.length)]!;
    out.push(word);
    length += word.length + 1;
  }
  return out.join(' ').slice(0, chars);
};

/** Target file size: 92 % small, 7.5 % medium, 0.5 % large, log-uniform within each band. */
const sizeOf = (rand: () => number): number => {
  const band = rand();
  const [lo, hi] = band < 0.92 ? [5_000, 30_000] : band < 0.995 ? [30_000, 300_000] : [300_000, 5_000_000];
  return Math.round(lo * Math.exp(rand() * Math.log(hi / lo)));
};

const SOURCES: ReadonlyArray<[number, unknown]> = [
  [0.7, 'vscode'],
  [0.9, 'cli'],
  [0.95, 'exec'],
  [0.98, { subagent: 'review' }],
  [1, 'mcp'],
];
const pick = (rand: () => number): unknown => {
  const r = rand();
  return SOURCES.find(([upTo]) => r < upTo)![1];
};

const line = (ms: number, type: string, payload: unknown): string => JSON.stringify({ timestamp: iso(ms), type, payload });
const message = (role: string, text: string): unknown => ({ type: 'message', role, content: [{ type: role === 'assistant' ? 'output_text' : 'input_text', text }] });

/** One rollout's text, about `size` bytes, in the reference's write order (SPEC §6.4). */
const rolloutText = (rand: () => number, id: string, createdMs: number, size: number, withUser: boolean): string => {
  const cwd = `/home/dev/projects/${WORDS[Math.floor(rand() * WORDS.length)]}-${Math.floor(rand() * 50)}`;
  const lines = [
    line(createdMs, 'session_meta', {
      id,
      timestamp: iso(createdMs),
      cwd,
      originator: 'codex_vscode',
      cli_version: '0.101.0',
      source: pick(rand),
      model_provider: rand() < 0.95 ? 'openai' : 'azure',
      base_instructions: { text: prose(rand, 2_000 + Math.floor(rand() * 2_000)) },
      git: { commit_hash: hex(rand, 40), branch: 'main', repository_url: `git@github.com:dev/${cwd.split('/').pop()}.git` },
    }),
    line(createdMs, 'response_item', message('developer', `<permissions instructions>${prose(rand, 600)}</permissions instructions>`)),
    line(createdMs, 'response_item', message('user', `# AGENTS.md instructions for ${cwd}\n\n<INSTRUCTIONS>${prose(rand, 400)}</INSTRUCTIONS>`)),
    line(createdMs, 'response_item', message('user', `<environment_context>\n  <cwd>${cwd}</cwd>\n  <shell>bash</shell>\n</environment_context>`)),
  ];
  let ms = createdMs + 1;
  let bytes = lines.reduce((sum, l) => sum + l.length + 1, 0);
  for (let turn = 0; bytes < size || turn === 0; turn++) {
    const turnId = uuidv7(ms, rand);
    const request = `${prose(rand, 20 + Math.floor(rand() * 200))}?`;
    const turnLines = [
      line(ms, 'event_msg', { type: 'task_started', turn_id: turnId, model_context_window: 258_400, collaboration_mode_kind: 'default' }),
      line(ms, 'response_item', message('user', request)),
      ...(withUser ? [line(ms, 'event_msg', { type: 'user_message', message: request, images: [], local_images: [], text_elements: [] })] : []),
      line(ms, 'turn_context', { turn_id: turnId, cwd, approval_policy: 'on-request', sandbox_policy: { type: 'workspace-write' }, model: 'gpt-5.2-codex', summary: 'auto' }),
      line(ms, 'response_item', { type: 'function_call', name: 'shell', arguments: JSON.stringify({ command: ['rg', 'thread'] }), call_id: `call_${hex(rand, 8)}` }),
      // Tool output is what makes real rollouts large.
      line(ms, 'response_item', { type: 'function_call_output', call_id: `call_${hex(rand, 8)}`, output: prose(rand, Math.min(200_000, Math.max(200, (size - bytes) / 2))) }),
      line(ms, 'event_msg', { type: 'agent_message', message: prose(rand, 300) }),
      line(ms, 'response_item', message('assistant', prose(rand, 300))),
      line(ms, 'event_msg', { type: 'task_complete', turn_id: turnId, last_agent_message: null }),
    ];
    lines.push(...turnLines);
    bytes += turnLines.reduce((sum, l) => sum + l.length + 1, 0);
    ms += 30_000;
  }
  return `${lines.join('\n')}\n`;
};

export interface BenchHome {
  readonly home: string;
  readonly files: number;
  readonly bytes: number;
}

/**
 * The cached CODEX_HOME with `count` rollouts (created on first use). Its `config.toml` sets
 * `model_provider = "openai"`, the provider of most generated threads, so the reference and
 * rxagent list the same threads by default.
 *
 * @example
 * const { home } = benchHome(10_000);
 */
export const benchHome = (count: number): BenchHome => {
  const home = join(tmpdir(), 'rxagent-bench-threadlist', String(count));
  const marker = join(home, '.generated');
  if (existsSync(marker) && readFileSync(marker, 'utf8').startsWith(`${GENERATOR}\n`)) {
    const [, files, bytes] = readFileSync(marker, 'utf8').trim().split('\n');
    return { home, files: Number(files), bytes: Number(bytes) };
  }
  rmSync(home, { recursive: true, force: true });
  mkdirSync(home, { recursive: true });
  writeFileSync(join(home, 'config.toml'), 'model_provider = "openai"\n');
  const rand = seededRandom(count);
  let bytes = 0;
  for (let i = 0; i < count; i++) {
    const created = END - YEAR + Math.floor(((i + rand()) * YEAR) / count);
    const id = uuidv7(created * 1000 + Math.floor(rand() * 1000), rand);
    const stamp = stampOf(created);
    const archived = rand() < 0.03;
    const dir = archived ? join(home, 'archived_sessions') : join(home, 'sessions', stamp.slice(0, 4), stamp.slice(5, 7), stamp.slice(8, 10));
    mkdirSync(dir, { recursive: true });
    const path = join(dir, `rollout-${stamp}-${id}.jsonl`);
    const text = rolloutText(rand, id, created * 1000, sizeOf(rand), rand() > 0.02);
    writeFileSync(path, text);
    bytes += Buffer.byteLength(text);
    // Most threads end within the hour; three in ten are resumed up to 60 days later.
    const updated = Math.min(END + 86_400, created + (rand() < 0.7 ? Math.floor(rand() * 3_600) : Math.floor(rand() * 60 * 86_400)));
    utimesSync(path, updated, updated);
  }
  writeFileSync(marker, `${GENERATOR}\n${count}\n${bytes}\n`);
  return { home, files: count, bytes };
};
