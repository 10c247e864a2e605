import * as t from 'io-ts';

const nullable = <C extends t.Mixed>(codec: C) => t.union([codec, t.null]);

/**
 * Core `SessionSource` as the reference writes it into `session_meta` (SPEC §6.3): lowercase
 * strings, or `{"subagent": …}` for sub-agent threads. This is the file casing, not the wire one
 * (`appServer`, `subAgent`); the summary reducer translates.
 *
 * @example
 * CoreSessionSource.is('vscode'); // true
 * CoreSessionSource.is({ subagent: 'review' }); // true
 */
export const CoreSessionSource = t.union([t.string, t.type({ subagent: t.unknown })], 'CoreSessionSource');
export type CoreSessionSource = t.TypeOf<typeof CoreSessionSource>;

/**
 * Core git block of `session_meta`; every field is omitted when unknown.
 *
 * @example
 * CoreGitInfo.is({ commit_hash: '9f2c', branch: 'main' }); // true
 */
export const CoreGitInfo = t.partial(
  {
    commit_hash: nullable(t.string),
    branch: nullable(t.string),
    repository_url: nullable(t.string),
  },
  'CoreGitInfo',
);
export type CoreGitInfo = t.TypeOf<typeof CoreGitInfo>;

/**
 * Payload of a `session_meta` line (flattened core `SessionMeta` plus `git`, SPEC §6.3).
 * The required fields are the ones the reference cannot parse a meta line without; the rest are
 * omitted in files when absent (`forked_from_id`, `dynamic_tools`, `git`) or nullable in old files
 * (`model_provider`, `base_instructions`). Unknown members are kept as they are.
 *
 * @example
 * SessionMeta.decode({ id: '0194…', timestamp: '2026-02-12T19:27:09.118Z', cwd: '/p',
 *   originator: 'codex_vscode', cli_version: '0.101.0', source: 'vscode' });
 */
export const SessionMeta = t.intersection(
  [
    t.type({
      id: t.string,
      timestamp: t.string,
      cwd: t.string,
      originator: t.string,
      cli_version: t.string,
    }),
    t.partial({
      forked_from_id: nullable(t.string),
      source: CoreSessionSource,
      model_provider: nullable(t.string),
      base_instructions: nullable(t.type({ text: t.string })),
      dynamic_tools: nullable(t.array(t.UnknownRecord)),
      git: nullable(CoreGitInfo),
    }),
  ],
  'SessionMeta',
);
export type SessionMeta = t.TypeOf<typeof SessionMeta>;
