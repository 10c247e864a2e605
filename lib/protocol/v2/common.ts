// Enums and small types shared across the v2 surface: approval, sandbox, reasoning, auth.

import * as t from 'io-ts';
import { alias, uint } from '../codec.js';

/**
 * A path that is guaranteed to be absolute and normalized (though it is not guaranteed to be canonicalized or exist on the filesystem).
 *
 * IMPORTANT: When deserializing an `AbsolutePathBuf`, a base path must be set using [AbsolutePathBufGuard::new]. If no base path is set, the deserialization will fail unless the path being deserialized is already absolute.
 */
export const AbsolutePathBuf = alias('AbsolutePathBuf', t.string);
export type AbsolutePathBuf = t.TypeOf<typeof AbsolutePathBuf>;

/** When the agent asks before running a command (kebab-case on the wire). */
export const AskForApproval = t.keyof({
  untrusted: null,
  'on-failure': null,
  'on-request': null,
  never: null,
}, 'AskForApproval');
export type AskForApproval = t.TypeOf<typeof AskForApproval>;

/** Authentication mode for OpenAI-backed providers. */
export const AuthMode = t.union([
  /** OpenAI API key provided by the caller and stored by Codex. */
  t.literal('apikey'),
  /** ChatGPT OAuth managed by Codex (tokens persisted and refreshed by Codex). */
  t.literal('chatgpt'),
  /**
   * [UNSTABLE] FOR OPENAI INTERNAL USE ONLY - DO NOT USE.
   *
   * ChatGPT auth tokens are supplied by an external host app and are only stored in memory. Token refresh must be handled by the external host app.
   */
  t.literal('chatgptAuthTokens'),
], 'AuthMode');
export type AuthMode = t.TypeOf<typeof AuthMode>;

/** A login method imposed by configuration. */
export const ForcedLoginMethod = t.keyof({ chatgpt: null, api: null }, 'ForcedLoginMethod');
export type ForcedLoginMethod = t.TypeOf<typeof ForcedLoginMethod>;

/** Canonical user-input modality tags advertised by a model. */
export const InputModality = t.union([
  /** Plain text turns and tool payloads. */
  t.literal('text'),
  /** Image attachments included in user turns. */
  t.literal('image'),
], 'InputModality');
export type InputModality = t.TypeOf<typeof InputModality>;

/** Initial collaboration mode to use when the TUI starts. */
export const ModeKind = t.keyof({ plan: null, default: null }, 'ModeKind');
export type ModeKind = t.TypeOf<typeof ModeKind>;

/** Network access of an external sandbox. */
export const NetworkAccess = t.keyof({ restricted: null, enabled: null }, 'NetworkAccess');
export type NetworkAccess = t.TypeOf<typeof NetworkAccess>;

/** Personality of the model's replies. */
export const Personality = t.keyof({ none: null, friendly: null, pragmatic: null }, 'Personality');
export type Personality = t.TypeOf<typeof Personality>;

/** ChatGPT plan of an account. */
export const PlanType = t.keyof({
  free: null,
  go: null,
  plus: null,
  pro: null,
  team: null,
  business: null,
  enterprise: null,
  edu: null,
  unknown: null,
}, 'PlanType');
export type PlanType = t.TypeOf<typeof PlanType>;

/** What a read-only sandbox may read: everything, or a list of roots. */
export const ReadOnlyAccess = t.union([
  t.intersection([
    t.type({
      type: t.literal('restricted'),
    }),
    t.partial({
      includePlatformDefaults: t.boolean,
      readableRoots: t.array(AbsolutePathBuf),
    }),
  ], 'RestrictedReadOnlyAccess'),
  t.type({
    type: t.literal('fullAccess'),
  }, 'FullAccessReadOnlyAccess'),
], 'ReadOnlyAccess');
export type ReadOnlyAccess = t.TypeOf<typeof ReadOnlyAccess>;

/** See https://platform.openai.com/docs/guides/reasoning?api-mode=responses#get-started-with-reasoning */
export const ReasoningEffort = t.keyof({
  none: null,
  minimal: null,
  low: null,
  medium: null,
  high: null,
  xhigh: null,
}, 'ReasoningEffort');
export type ReasoningEffort = t.TypeOf<typeof ReasoningEffort>;

/** A summary of the reasoning performed by the model. This can be useful for debugging and understanding the model's reasoning process. See https://platform.openai.com/docs/guides/reasoning?api-mode=responses#reasoning-summaries */
export const ReasoningSummary = t.union([
  t.keyof({ auto: null, concise: null, detailed: null }),
  /** Option to disable reasoning summaries. */
  t.literal('none'),
], 'ReasoningSummary');
export type ReasoningSummary = t.TypeOf<typeof ReasoningSummary>;

/** The sandbox as a mode name (`thread/start.sandbox`; kebab-case on the wire). */
export const SandboxMode = t.keyof({
  'read-only': null,
  'workspace-write': null,
  'danger-full-access': null,
}, 'SandboxMode');
export type SandboxMode = t.TypeOf<typeof SandboxMode>;

/** The sandbox as a full policy, tagged by `type` (`turn/start.sandboxPolicy`, thread responses). */
export const SandboxPolicy = t.union([
  t.type({
    type: t.literal('dangerFullAccess'),
  }, 'DangerFullAccessSandboxPolicy'),
  t.intersection([
    t.type({
      type: t.literal('readOnly'),
    }),
    t.partial({
      access: ReadOnlyAccess,
    }),
  ], 'ReadOnlySandboxPolicy'),
  t.intersection([
    t.type({
      type: t.literal('externalSandbox'),
    }),
    t.partial({
      networkAccess: NetworkAccess,
    }),
  ], 'ExternalSandboxSandboxPolicy'),
  t.intersection([
    t.type({
      type: t.literal('workspaceWrite'),
    }),
    t.partial({
      excludeSlashTmp: t.boolean,
      excludeTmpdirEnvVar: t.boolean,
      networkAccess: t.boolean,
      readOnlyAccess: ReadOnlyAccess,
      writableRoots: t.array(AbsolutePathBuf),
    }),
  ], 'WorkspaceWriteSandboxPolicy'),
], 'SandboxPolicy');
export type SandboxPolicy = t.TypeOf<typeof SandboxPolicy>;

/** The `[sandbox_workspace_write]` section of `Config`. */
export const SandboxWorkspaceWrite = t.partial({
  exclude_slash_tmp: t.boolean,
  exclude_tmpdir_env_var: t.boolean,
  network_access: t.boolean,
  writable_roots: t.array(t.string),
}, 'SandboxWorkspaceWrite');
export type SandboxWorkspaceWrite = t.TypeOf<typeof SandboxWorkspaceWrite>;

/** A 1-based line/column position in a config file. */
export const TextPosition = t.type({
  /** 1-based column number (in Unicode scalar values). */
  column: uint,
  /** 1-based line number. */
  line: uint,
}, 'TextPosition');
export type TextPosition = t.TypeOf<typeof TextPosition>;

/** A range in a config file, for `configWarning` locations. */
export const TextRange = t.type({
  end: TextPosition,
  start: TextPosition,
}, 'TextRange');
export type TextRange = t.TypeOf<typeof TextRange>;

/** A thread id (a UUID string). */
export const ThreadId = alias('ThreadId', t.string);
export type ThreadId = t.TypeOf<typeof ThreadId>;

/** Controls output length/detail on GPT-5 models via the Responses API. Serialized with lowercase values to match the OpenAI API. */
export const Verbosity = t.keyof({ low: null, medium: null, high: null }, 'Verbosity');
export type Verbosity = t.TypeOf<typeof Verbosity>;

/** Whether and how the web search tool is offered. */
export const WebSearchMode = t.keyof({ disabled: null, cached: null, live: null }, 'WebSearchMode');
export type WebSearchMode = t.TypeOf<typeof WebSearchMode>;
