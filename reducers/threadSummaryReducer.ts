import type { GitInfo, ResponseItem, SessionSource, Thread, Turn } from '../lib/protocol/index.js';
import type { EventMsg } from '../lib/rollout/eventMsg.js';
import type { RolloutLine } from '../lib/rollout/rolloutLine.js';
import type { CoreGitInfo, CoreSessionSource, SessionMeta } from '../lib/rollout/sessionMeta.js';
import { assertNever } from './assertNever.js';
import { realUserMessageText } from './userMessages.js';

/** What `thread/list` shows for a thread, taken from its first `session_meta`. */
export interface ThreadSummaryMeta {
  readonly id: string;
  readonly forkedFromId: string | null;
  /** `session_meta.timestamp` in Unix seconds. */
  readonly createdAt: number;
  /** `null` in old files; the listing then uses the configured provider (SPEC §4.6). */
  readonly modelProvider: string | null;
  readonly source: SessionSource;
  readonly cwd: string;
  readonly cliVersion: string;
  readonly originator: string;
  readonly gitInfo: GitInfo | null;
}

/** What a `Thread` is built from (see {@link toThread}): identity, preview and last write. */
export interface ThreadView {
  readonly meta: ThreadSummaryMeta | null;
  /** `null`: none (the wire shows `''`). */
  readonly preview: string | null;
  /**
   * Unix seconds of the last line written. The reference reports the file's mtime, which is when
   * the last line was written; this is the same instant, known without touching the file.
   */
  readonly updatedAt: number | null;
}

/** A thread-list entry under construction: filled in as lines arrive. */
export interface ThreadSummary extends ThreadView {
  /** Text of the first `user_message` event; `null` until there is one (such a thread is not listed). */
  readonly preview: string | null;
  /**
   * The preview `thread/read`, `thread/resume` and `thread/fork` answer with (SPEC §4.5, the
   * reference's `read_summary_from_rollout`): the first real user message among the first
   * {@link HEAD_LINES} `session_meta`/`response_item` lines. It differs from the listing's when
   * the history was given as items (`thread/resume` with `history`) or the head is long.
   */
  readonly headPreview: string | null;
  /** How many of those head lines were seen, up to {@link HEAD_LINES}. */
  readonly headLines: number;
}

/** The head `read_summary_from_rollout` looks at for a preview. */
export const HEAD_LINES = 10;

/** The summary before any line. */
export const initialThreadSummary: ThreadSummary = { meta: null, preview: null, updatedAt: null, headPreview: null, headLines: 0 };

const toUnixSeconds = (iso: string): number | null => {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? null : Math.floor(ms / 1000);
};

const isRecord = (u: unknown): u is Record<string, unknown> => typeof u === 'object' && u !== null && !Array.isArray(u);

/** Core `SubAgentSource` (`review`, `compact`, `{thread_spawn}`, `{other}`) keeps its casing on the wire (SPEC §4.1). */
const subAgent = (source: unknown): SessionSource => {
  if (source === 'review' || source === 'compact') return { subAgent: source };
  if (isRecord(source) && isRecord(source.thread_spawn)) {
    const { parent_thread_id: parentThreadId, depth } = source.thread_spawn;
    if (typeof parentThreadId === 'string' && typeof depth === 'number') {
      return { subAgent: { thread_spawn: { parent_thread_id: parentThreadId, depth } } };
    }
  }
  if (isRecord(source) && typeof source.other === 'string') return { subAgent: { other: source.other } };
  return 'unknown';
};

/**
 * Core session source (file casing) → wire `SessionSource`: `mcp` becomes `appServer`,
 * `{"subagent":…}` becomes `{"subAgent":…}`, anything unrecognised `unknown`. A meta without a
 * source reads as `vscode`, the reference's serde default.
 *
 * @example
 * wireSessionSource('mcp'); // 'appServer'
 * wireSessionSource({ subagent: 'review' }); // { subAgent: 'review' }
 */
export const wireSessionSource = (source: CoreSessionSource | undefined): SessionSource => {
  if (source === undefined) return 'vscode';
  if (typeof source !== 'string') return subAgent(source.subagent);
  switch (source) {
    case 'cli':
    case 'vscode':
    case 'exec':
      return source;
    case 'mcp':
      return 'appServer';
    default:
      return 'unknown';
  }
};

const wireGitInfo = (git: CoreGitInfo | null | undefined): GitInfo | null =>
  git === null || git === undefined
    ? null
    : { sha: git.commit_hash ?? null, branch: git.branch ?? null, originUrl: git.repository_url ?? null };

const summarizeMeta = (meta: SessionMeta, lineTimestamp: string): ThreadSummaryMeta => ({
  id: meta.id,
  forkedFromId: meta.forked_from_id ?? null,
  // An unparsable creation time falls back to when the line was written, then to the epoch.
  createdAt: toUnixSeconds(meta.timestamp) ?? toUnixSeconds(lineTimestamp) ?? 0,
  modelProvider: meta.model_provider ?? null,
  source: wireSessionSource(meta.source),
  cwd: meta.cwd,
  cliVersion: meta.cli_version,
  originator: meta.originator,
  gitInfo: wireGitInfo(meta.git),
});

/** Marker before the user's own words in messages built from a prompt template (`USER_MESSAGE_BEGIN`). */
const USER_MESSAGE_BEGIN = '## My request for Codex:';

// Trimmed in both cases, as the reference's `strip_user_message_prefix`.
const previewOf = (message: string): string => {
  const at = message.indexOf(USER_MESSAGE_BEGIN);
  return (at === -1 ? message : message.slice(at + USER_MESSAGE_BEGIN.length)).trim();
};

const onEvent = (summary: ThreadSummary, event: EventMsg): ThreadSummary => {
  switch (event.type) {
    case 'user_message':
      return summary.preview === null ? { ...summary, preview: previewOf(event.message) } : summary;
    case 'agent_message':
    case 'agent_reasoning':
    case 'agent_reasoning_raw_content':
    case 'token_count':
    case 'context_compacted':
    case 'entered_review_mode':
    case 'exited_review_mode':
    case 'thread_rolled_back':
    case 'undo_completed':
    case 'turn_aborted':
    case 'task_started':
    case 'task_complete':
    case 'item_completed':
    case 'other':
      return summary;
    default:
      return assertNever(event);
  }
};

/** Counts a head line, taking the preview from it when it is the first real user message there. */
const inHead = (summary: ThreadSummary, item: ResponseItem | null): ThreadSummary => {
  if (summary.headLines >= HEAD_LINES) return summary;
  const text = summary.headPreview === null && item !== null ? realUserMessageText(item) : undefined;
  return { ...summary, headLines: summary.headLines + 1, ...(text === undefined ? {} : { headPreview: previewOf(text) }) };
};

const withLineTime = (summary: ThreadSummary, timestamp: string): ThreadSummary => {
  const updatedAt = toUnixSeconds(timestamp);
  return updatedAt === null || updatedAt === summary.updatedAt ? summary : { ...summary, updatedAt };
};

/**
 * Folds one rollout line into a thread-list entry (SPEC §4.6): identity, creation time, provider,
 * source, cwd, CLI version and git info from the first `session_meta`; the preview from the first
 * `user_message` (text after `## My request for Codex:` when present); the last write time.
 * A rolled-back first message stays the preview, as in the reference. Pure; returns the same
 * object when the line changes nothing.
 *
 * @example
 * const summary = lines.reduce(threadSummaryReducer, initialThreadSummary);
 */
export const threadSummaryReducer = (summary: ThreadSummary, line: RolloutLine): ThreadSummary => {
  const timed = withLineTime(summary, line.timestamp);
  switch (line.type) {
    case 'session_meta':
      return inHead(timed.meta === null ? { ...timed, meta: summarizeMeta(line.payload, line.timestamp) } : timed, null);
    case 'event_msg':
      return onEvent(timed, line.payload);
    case 'response_item':
      return inHead(timed, line.payload);
    case 'turn_context':
    case 'compacted':
      return timed;
    default:
      return assertNever(line);
  }
};

/** What a `Thread` needs beyond the rollout's lines: where the file is and the server's defaults. */
export interface ThreadFileInfo {
  readonly path: string | null;
  /** Listing `updatedAt`; defaults to the last line's time. The reference uses the file's mtime. */
  readonly updatedAt?: number;
  /** Provider id for old metas without one (the configured provider). */
  readonly defaultModelProvider: string;
}

/**
 * The summary as `thread/read`, `thread/resume`, `thread/fork` and `thread/unarchive` show it:
 * with the head preview (see {@link ThreadSummary.headPreview}); `thread/list` shows `summary`.
 *
 * @example
 * toThread(readView(state.summary), threadTurns(state.thread), { path, defaultModelProvider: 'openai' });
 */
export const readView = (summary: ThreadSummary): ThreadView => ({ meta: summary.meta, preview: summary.headPreview, updatedAt: summary.updatedAt });

/**
 * The wire `Thread` for a summary, or `null` before a `session_meta` was seen.
 *
 * @example
 * toThread(summary, threadTurns(state), { path, defaultModelProvider: 'openai' });
 */
export const toThread = (summary: ThreadView, turns: Turn[], file: ThreadFileInfo): Thread | null => {
  const meta = summary.meta;
  if (meta === null) return null;
  return {
    id: meta.id,
    preview: summary.preview ?? '',
    modelProvider: meta.modelProvider ?? file.defaultModelProvider,
    createdAt: meta.createdAt,
    updatedAt: file.updatedAt ?? summary.updatedAt ?? meta.createdAt,
    path: file.path,
    cwd: meta.cwd,
    cliVersion: meta.cliVersion,
    source: meta.source,
    gitInfo: meta.gitInfo,
    turns,
  };
};
