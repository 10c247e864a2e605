// The model-level `ResponseItem` (Responses API items), as carried by `thread/resume.history` and
// `rawResponseItem/completed`; snake_case as on the Responses wire.

import * as t from 'io-ts';
import { uint64 } from '../codec.js';

/** Content of a model message: input text or image, or output text (snake_case `type`). */
export const ContentItem = t.union([
  t.type({
    text: t.string,
    type: t.literal('input_text'),
  }, 'InputTextContentItem'),
  t.type({
    image_url: t.string,
    type: t.literal('input_image'),
  }, 'InputImageContentItem'),
  t.type({
    text: t.string,
    type: t.literal('output_text'),
  }, 'OutputTextContentItem'),
], 'ContentItem');
export type ContentItem = t.TypeOf<typeof ContentItem>;

/** Responses API compatible content items that can be returned by a tool call. This is a subset of ContentItem with the types we support as function call outputs. */
export const FunctionCallOutputContentItem = t.union([
  t.type({
    text: t.string,
    type: t.literal('input_text'),
  }, 'InputTextFunctionCallOutputContentItem'),
  t.type({
    image_url: t.string,
    type: t.literal('input_image'),
  }, 'InputImageFunctionCallOutputContentItem'),
], 'FunctionCallOutputContentItem');
export type FunctionCallOutputContentItem = t.TypeOf<typeof FunctionCallOutputContentItem>;

/** A function call output: plain text or content items. */
export const FunctionCallOutputBody = t.union([t.string, t.array(FunctionCallOutputContentItem)], 'FunctionCallOutputBody');
export type FunctionCallOutputBody = t.TypeOf<typeof FunctionCallOutputBody>;

/**
 * The payload we send back to OpenAI when reporting a tool call result.
 *
 * `body` serializes directly as the wire value for `function_call_output.output`. `success` remains internal metadata for downstream handling.
 */
export const FunctionCallOutputPayload = t.intersection([
  t.type({
    body: FunctionCallOutputBody,
  }),
  t.partial({
    success: t.union([t.boolean, t.null]),
  }),
], 'FunctionCallOutputPayload');
export type FunctionCallOutputPayload = t.TypeOf<typeof FunctionCallOutputPayload>;

/** Details of a ghost commit created from a repository state. */
export const GhostCommit = t.intersection([
  t.type({
    id: t.string,
    preexisting_untracked_dirs: t.array(t.string),
    preexisting_untracked_files: t.array(t.string),
  }),
  t.partial({
    parent: t.union([t.string, t.null]),
  }),
], 'GhostCommit');
export type GhostCommit = t.TypeOf<typeof GhostCommit>;

/** The command of a `local_shell_call` item. */
export const LocalShellAction = t.intersection([
  t.type({
    command: t.array(t.string),
    type: t.literal('exec'),
  }),
  t.partial({
    env: t.union([t.record(t.string, t.string), t.null]),
    timeout_ms: t.union([uint64, t.null]),
    user: t.union([t.string, t.null]),
    working_directory: t.union([t.string, t.null]),
  }),
], 'LocalShellAction');
export type LocalShellAction = t.TypeOf<typeof LocalShellAction>;

/** Status of a `local_shell_call` item. */
export const LocalShellStatus = t.keyof({ completed: null, in_progress: null, incomplete: null }, 'LocalShellStatus');
export type LocalShellStatus = t.TypeOf<typeof LocalShellStatus>;

/**
 * Classifies an assistant message as interim commentary or final answer text.
 *
 * Providers do not emit this consistently, so callers must treat `None` as "phase unknown" and keep compatibility behavior for legacy models.
 */
export const MessagePhase = t.union([
  /**
   * Mid-turn assistant text (for example preamble/progress narration).
   *
   * Additional tool calls or assistant output may follow before turn completion.
   */
  t.literal('commentary'),
  /** The assistant's terminal answer text for the current turn. */
  t.literal('final_answer'),
], 'MessagePhase');
export type MessagePhase = t.TypeOf<typeof MessagePhase>;

/** Raw reasoning content of a model reasoning item. */
export const ReasoningItemContent = t.union([
  t.type({
    text: t.string,
    type: t.literal('reasoning_text'),
  }, 'ReasoningTextReasoningItemContent'),
  t.type({
    text: t.string,
    type: t.literal('text'),
  }, 'TextReasoningItemContent'),
], 'ReasoningItemContent');
export type ReasoningItemContent = t.TypeOf<typeof ReasoningItemContent>;

/** One summary part of a model reasoning item. */
export const ReasoningItemReasoningSummary = t.type({
  text: t.string,
  type: t.literal('summary_text'),
}, 'ReasoningItemReasoningSummary');
export type ReasoningItemReasoningSummary = t.TypeOf<typeof ReasoningItemReasoningSummary>;

/** What a web search call did: search, open a page, find in page. */
export const WebSearchAction = t.union([
  t.intersection([
    t.type({
      type: t.literal('search'),
    }),
    t.partial({
      queries: t.union([t.array(t.string), t.null]),
      query: t.union([t.string, t.null]),
    }),
  ], 'SearchWebSearchAction'),
  t.intersection([
    t.type({
      type: t.literal('open_page'),
    }),
    t.partial({
      url: t.union([t.string, t.null]),
    }),
  ], 'OpenPageWebSearchAction'),
  t.intersection([
    t.type({
      type: t.literal('find_in_page'),
    }),
    t.partial({
      pattern: t.union([t.string, t.null]),
      url: t.union([t.string, t.null]),
    }),
  ], 'FindInPageWebSearchAction'),
  t.type({
    type: t.literal('other'),
  }, 'OtherWebSearchAction'),
], 'WebSearchAction');
export type WebSearchAction = t.TypeOf<typeof WebSearchAction>;

/** An item of model history as the Responses API defines it, tagged by snake_case `type`. */
export const ResponseItem = t.union([
  t.intersection([
    t.type({
      content: t.array(ContentItem),
      role: t.string,
      type: t.literal('message'),
    }),
    t.partial({
      end_turn: t.union([t.boolean, t.null]),
      id: t.union([t.string, t.null]),
      phase: t.union([MessagePhase, t.null]),
    }),
  ], 'MessageResponseItem'),
  t.intersection([
    t.type({
      id: t.string,
      summary: t.array(ReasoningItemReasoningSummary),
      type: t.literal('reasoning'),
    }),
    t.partial({
      content: t.union([t.array(ReasoningItemContent), t.null]),
      encrypted_content: t.union([t.string, t.null]),
    }),
  ], 'ReasoningResponseItem'),
  t.intersection([
    t.type({
      action: LocalShellAction,
      status: LocalShellStatus,
      type: t.literal('local_shell_call'),
    }),
    t.partial({
      /** Set when using the Responses API. */
      call_id: t.union([t.string, t.null]),
      /** Legacy id field retained for compatibility with older payloads. */
      id: t.union([t.string, t.null]),
    }),
  ], 'LocalShellCallResponseItem'),
  t.intersection([
    t.type({
      arguments: t.string,
      call_id: t.string,
      name: t.string,
      type: t.literal('function_call'),
    }),
    t.partial({
      id: t.union([t.string, t.null]),
    }),
  ], 'FunctionCallResponseItem'),
  t.type({
    call_id: t.string,
    output: FunctionCallOutputPayload,
    type: t.literal('function_call_output'),
  }, 'FunctionCallOutputResponseItem'),
  t.intersection([
    t.type({
      call_id: t.string,
      input: t.string,
      name: t.string,
      type: t.literal('custom_tool_call'),
    }),
    t.partial({
      id: t.union([t.string, t.null]),
      status: t.union([t.string, t.null]),
    }),
  ], 'CustomToolCallResponseItem'),
  t.type({
    call_id: t.string,
    output: t.string,
    type: t.literal('custom_tool_call_output'),
  }, 'CustomToolCallOutputResponseItem'),
  t.intersection([
    t.type({
      type: t.literal('web_search_call'),
    }),
    t.partial({
      action: t.union([WebSearchAction, t.null]),
      id: t.union([t.string, t.null]),
      status: t.union([t.string, t.null]),
    }),
  ], 'WebSearchCallResponseItem'),
  t.type({
    ghost_commit: GhostCommit,
    type: t.literal('ghost_snapshot'),
  }, 'GhostSnapshotResponseItem'),
  t.type({
    encrypted_content: t.string,
    type: t.literal('compaction'),
  }, 'CompactionResponseItem'),
  t.type({
    type: t.literal('other'),
  }, 'OtherResponseItem'),
], 'ResponseItem');
export type ResponseItem = t.TypeOf<typeof ResponseItem>;
