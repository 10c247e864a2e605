import * as t from 'io-ts';

const nullable = <C extends t.Mixed>(codec: C) => t.union([codec, t.null]);

/**
 * Payload of a `turn_context` line (core `TurnContextItem`, SPEC §6.3), written before every
 * model request of a turn. Only the members rxagent reads are typed; the sandbox policy stays as
 * written (core kebab-case, `{"type":"workspace-write",…}`) and every unknown member is kept, so a
 * line re-encodes as it was read.
 *
 * @example
 * TurnContext.decode({ turn_id: '0194…', cwd: '/p', approval_policy: 'never',
 *   sandbox_policy: { type: 'read-only' }, model: 'gpt-5.2-codex', summary: 'auto' });
 */
export const TurnContext = t.intersection(
  [
    t.type({
      cwd: t.string,
      approval_policy: t.string,
      // Any object: files from older versions tag it with `mode` instead of `type`.
      sandbox_policy: t.UnknownRecord,
      model: t.string,
    }),
    t.partial({
      turn_id: nullable(t.string),
      personality: nullable(t.string),
      collaboration_mode: nullable(t.UnknownRecord),
      effort: nullable(t.string),
      summary: nullable(t.string),
      user_instructions: nullable(t.string),
      developer_instructions: nullable(t.string),
      final_output_json_schema: t.unknown,
      truncation_policy: nullable(t.type({ mode: t.string, limit: t.number })),
    }),
  ],
  'TurnContext',
);
export type TurnContext = t.TypeOf<typeof TurnContext>;
