import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { seededRandom } from './seededRandom.js';

/**
 * A long, realistic rollout for the resume benchmark: `lines` lines (default 100,000, about
 * 3,900 turns) in the reference's layout and write order (SPEC §6.3–6.4, and the files the
 * reference wrote under shared/fixtures/reference-0.101.0/*\/codex_home/sessions/):
 * `session_meta` with ~20 KB of base instructions and the initial context, then per turn
 * `task_started`, the user message (`response_item` + `user_message` event), then 0–5 tool rounds
 * and a final round, each round opened by a `turn_context` (~3.3 KB: it carries the AGENTS.md/skills
 * `user_instructions`) and a rate-limit `token_count`, with a reasoning summary (`agent_reasoning`
 * event + `reasoning` item with ~1–2 KB of `encrypted_content`) in most rounds, a `function_call`
 * (exec_command) and its `function_call_output` (80 B – 10 KB, log-uniform: the reference's
 * truncation policy keeps 10,000 bytes), a usage `token_count`; the final round ends with
 * `agent_message` + the assistant `response_item`, and the turn with `task_complete` (1 % of
 * turns are interrupted instead: `turn_aborted`). No compaction: the whole history is live, the
 * worst case for a resume. Deterministic (seeded).
 */

const WORDS =
  'the a to of and in fix test build refactor module parser server client thread index listing cursor page sort file folder rollout error retry timeout cache config provider model token stream event reducer operator spec bench function return const type interface import export'.split(
    ' ',
  );

const hex = (rand: () => number, digits: number): string => Array.from({ length: digits }, () => Math.floor(rand() * 16).toString(16)).join('');
const uuidv7 = (ms: number, rand: () => number): string => {
  const time = ms.toString(16).padStart(12, '0');
  return `${time.slice(0, 8)}-${time.slice(8)}-7${hex(rand, 3)}-${(8 + Math.floor(rand() * 4)).toString(16)}${hex(rand, 3)}-${hex(rand, 12)}`;
};
const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const base64 = (rand: () => number, chars: number): string => Array.from({ length: chars }, () => BASE64[Math.floor(rand() * 64)]).join('');

export interface LongRollout {
  readonly threadId: string;
  readonly path: string;
  readonly lines: number;
  readonly turns: number;
  readonly bytes: number;
}

/** Writes the rollout under `home/sessions/2026/11/24/` and returns what it holds. */
export const writeLongRollout = (home: string, cwd: string, lines = 100_000, seed = 42): LongRollout => {
  const rand = seededRandom(seed);
  const prose = (chars: number): string => {
    const out: string[] = [];
    let length = 0;
    while (length < chars) {
      const word = WORDS[Math.floor(rand() * WORDS.length)]!;
      out.push(rand() < 0.08 ? `${word}.\n` : word);
      length += word.length + 1;
    }
    return out.join(' ').slice(0, chars);
  };
  const logUniform = (lo: number, hi: number): number => Math.round(lo * Math.exp(rand() * Math.log(hi / lo)));

  const created = Date.UTC(2026, 10, 24, 10, 0, 0);
  const threadId = uuidv7(created, rand);
  const dir = join(home, 'sessions', '2026', '11', '24');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `rollout-2026-11-24T10-00-00-${threadId}.jsonl`);
  const fd = openSync(path, 'w');
  let ms = created;
  let written = 0;
  let bytes = 0;
  let pending: string[] = [];
  const line = (type: string, payload: unknown): void => {
    pending.push(JSON.stringify({ timestamp: new Date(ms).toISOString(), type, payload }));
  };
  const flush = (): void => {
    const text = `${pending.join('\n')}\n`;
    bytes += writeSync(fd, text);
    written += pending.length;
    pending = [];
  };
  const message = (role: string, text: string): unknown => ({
    type: 'message',
    role,
    content: [{ type: role === 'assistant' ? 'output_text' : 'input_text', text }],
  });
  const rateLimits = { limit_id: 'codex', limit_name: null, primary: null, secondary: null, credits: null, plan_type: null };
  const usage = { input_tokens: 0, cached_input_tokens: 0, output_tokens: 0, reasoning_output_tokens: 0, total_tokens: 0 };

  const userInstructions = `## Skills\n${prose(2_900)}`;
  line('session_meta', {
    id: threadId,
    timestamp: new Date(created).toISOString(),
    cwd,
    originator: 'codex_vscode',
    cli_version: '0.101.0',
    source: 'vscode',
    model_provider: 'mock',
    base_instructions: { text: prose(21_000) },
  });
  line('response_item', message('developer', `<permissions instructions>\n${prose(560)}\n</permissions instructions>`));
  line('response_item', message('user', `# AGENTS.md instructions for ${cwd}\n\n<INSTRUCTIONS>\n${userInstructions}\n</INSTRUCTIONS>`));
  line('response_item', message('user', `<environment_context>\n  <cwd>${cwd}</cwd>\n  <shell>bash</shell>\n</environment_context>`));

  let turns = 0;
  while (written + pending.length < lines) {
    const turnId = uuidv7(ms, rand);
    const request = prose(logUniform(20, 1_500));
    line('event_msg', { type: 'task_started', turn_id: turnId, model_context_window: 258_400, collaboration_mode_kind: 'default' });
    line('response_item', message('user', request));
    line('event_msg', { type: 'user_message', message: request, images: [], local_images: [], text_elements: [] });
    const toolRounds = Math.floor(rand() * 6);
    const round = (final: boolean): string | null => {
      ms += 50 + Math.floor(rand() * 3_000);
      line('turn_context', {
        turn_id: turnId,
        cwd,
        approval_policy: 'on-request',
        sandbox_policy: { type: 'workspace-write' },
        model: 'gpt-5.2-codex',
        personality: 'pragmatic',
        collaboration_mode: { mode: 'default', settings: { model: 'gpt-5.2-codex', reasoning_effort: 'medium', developer_instructions: null } },
        effort: 'medium',
        summary: 'auto',
        user_instructions: userInstructions,
        truncation_policy: { mode: 'bytes', limit: 10_000 },
      });
      line('event_msg', { type: 'token_count', info: null, rate_limits: rateLimits });
      if (rand() < 0.7) {
        const summary = `**${prose(30)}**\n\n${prose(logUniform(100, 800))}`;
        line('event_msg', { type: 'agent_reasoning', text: summary });
        line('response_item', { type: 'reasoning', summary: [{ type: 'summary_text', text: summary }], content: null, encrypted_content: base64(rand, logUniform(800, 2_400)) });
      }
      usage.input_tokens += 20_000 + Math.floor(rand() * 30_000);
      usage.cached_input_tokens += 15_000;
      usage.output_tokens += 200 + Math.floor(rand() * 1_000);
      usage.total_tokens = usage.input_tokens + usage.output_tokens;
      const tokenCount = (): void =>
        line('event_msg', { type: 'token_count', info: { total_token_usage: { ...usage }, last_token_usage: { ...usage }, model_context_window: 258_400 }, rate_limits: rateLimits });
      if (!final) {
        const callId = `call_${hex(rand, 24)}`;
        line('response_item', { type: 'function_call', name: 'exec_command', arguments: JSON.stringify({ cmd: `rg -n ${WORDS[Math.floor(rand() * WORDS.length)]} src`, yield_time_ms: 10_000 }), call_id: callId });
        tokenCount();
        ms += 20 + Math.floor(rand() * 2_000);
        const output = `Chunk ID: ${hex(rand, 6)}\nWall time: 0.${hex(rand, 4).replace(/[a-f]/g, '1')} seconds\nProcess exited with code 0\nOriginal token count: ${Math.floor(rand() * 4000)}\nOutput:\n${prose(logUniform(80, 10_000))}`;
        line('response_item', { type: 'function_call_output', call_id: callId, output });
        return null;
      } else {
        const answer = prose(logUniform(60, 2_000));
        line('event_msg', { type: 'agent_message', message: answer });
        line('response_item', message('assistant', answer));
        tokenCount();
        return answer;
      }
    };
    for (let i = 0; i < toolRounds; i++) round(false);
    if (rand() < 0.01) {
      line('event_msg', { type: 'turn_aborted', turn_id: turnId, reason: 'interrupted' });
    } else {
      const answer = round(true);
      line('event_msg', { type: 'task_complete', turn_id: turnId, last_agent_message: answer });
    }
    turns++;
    ms += 10_000 + Math.floor(rand() * 120_000);
    if (pending.length > 2_000) flush();
  }
  flush();
  closeSync(fd);
  return { threadId, path, lines: written, turns, bytes };
};
