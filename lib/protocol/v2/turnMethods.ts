// Params and results of `turn/start`, `turn/steer`, `turn/interrupt` and `review/start`.

import * as t from 'io-ts';
import { experimentalField } from '../experimental.js';
import { AskForApproval, ModeKind, Personality, ReasoningEffort, ReasoningSummary, SandboxPolicy } from './common.js';
import { Turn } from './thread.js';
import { UserInput } from './userInput.js';

/** Settings for a collaboration mode. */
export const Settings = t.intersection([
  t.type({
    model: t.string,
  }),
  t.partial({
    developer_instructions: t.union([t.string, t.null]),
    reasoning_effort: t.union([ReasoningEffort, t.null]),
  }),
], 'Settings');
export type Settings = t.TypeOf<typeof Settings>;

/** Collaboration mode for a Codex session. */
export const CollaborationMode = t.type({
  mode: ModeKind,
  settings: Settings,
}, 'CollaborationMode');
export type CollaborationMode = t.TypeOf<typeof CollaborationMode>;

/** Whether a review runs in the thread (`inline`) or on a fork (`detached`). */
export const ReviewDelivery = t.keyof({ inline: null, detached: null }, 'ReviewDelivery');
export type ReviewDelivery = t.TypeOf<typeof ReviewDelivery>;

/** What `review/start` reviews: uncommitted changes, a base branch, a commit, or custom instructions. */
export const ReviewTarget = t.union([
  /** Review the working tree: staged, unstaged, and untracked files. */
  t.type({
    type: t.literal('uncommittedChanges'),
  }, 'UncommittedChangesReviewTarget'),
  /** Review changes between the current branch and the given base branch. */
  t.type({
    branch: t.string,
    type: t.literal('baseBranch'),
  }, 'BaseBranchReviewTarget'),
  /** Review the changes introduced by a specific commit. */
  t.intersection([
    t.type({
      sha: t.string,
      type: t.literal('commit'),
    }),
    t.partial({
      /** Optional human-readable label (e.g., commit subject) for UIs. */
      title: t.union([t.string, t.null]),
    }),
  ], 'CommitReviewTarget'),
  /** Arbitrary instructions, equivalent to the old free-form prompt. */
  t.type({
    instructions: t.string,
    type: t.literal('custom'),
  }, 'CustomReviewTarget'),
], 'ReviewTarget');
export type ReviewTarget = t.TypeOf<typeof ReviewTarget>;

/** Params of `review/start`. */
export const ReviewStartParams = t.intersection([
  t.type({
    target: ReviewTarget,
    threadId: t.string,
  }),
  t.partial({
    /** Where to run the review: inline (default) on the current thread or detached on a new thread (returned in `reviewThreadId`). */
    delivery: t.union([ReviewDelivery, t.null]),
  }),
], 'ReviewStartParams');
export type ReviewStartParams = t.TypeOf<typeof ReviewStartParams>;

/** Result of `review/start`. */
export const ReviewStartResponse = t.type({
  /**
   * Identifies the thread where the review runs.
   *
   * For inline reviews, this is the original thread id. For detached reviews, this is the id of the new review thread.
   */
  reviewThreadId: t.string,
  turn: Turn,
}, 'ReviewStartResponse');
export type ReviewStartResponse = t.TypeOf<typeof ReviewStartResponse>;

/** Params of `turn/interrupt`. */
export const TurnInterruptParams = t.type({
  threadId: t.string,
  turnId: t.string,
}, 'TurnInterruptParams');
export type TurnInterruptParams = t.TypeOf<typeof TurnInterruptParams>;

/** Result of `turn/interrupt`. */
export const TurnInterruptResponse = t.type({}, 'TurnInterruptResponse');
export type TurnInterruptResponse = t.TypeOf<typeof TurnInterruptResponse>;

/** Params of `turn/start`. */
export const TurnStartParams = t.intersection([
  t.type({
    input: t.array(UserInput),
    threadId: t.string,
  }),
  t.partial({
    /** Override the approval policy for this turn and subsequent turns. */
    approvalPolicy: t.union([AskForApproval, t.null]),
    /** Override the working directory for this turn and subsequent turns. */
    cwd: t.union([t.string, t.null]),
    /** Override the reasoning effort for this turn and subsequent turns. */
    effort: t.union([ReasoningEffort, t.null]),
    /** Override the model for this turn and subsequent turns. */
    model: t.union([t.string, t.null]),
    /** Optional JSON Schema used to constrain the final assistant message for this turn. */
    outputSchema: t.unknown,
    /** Override the personality for this turn and subsequent turns. */
    personality: t.union([Personality, t.null]),
    /** Override the sandbox policy for this turn and subsequent turns. */
    sandboxPolicy: t.union([SandboxPolicy, t.null]),
    /** Override the reasoning summary for this turn and subsequent turns. */
    summary: t.union([ReasoningSummary, t.null]),
    /**
     * EXPERIMENTAL - Set a pre-set collaboration mode. Takes precedence over model, reasoning_effort, and developer instructions if set.
     *
     * For `collaboration_mode.settings.developer_instructions`, `null` means "use the built-in instructions for the selected mode".
     */
    collaborationMode: experimentalField(t.union([CollaborationMode, t.null])),
  }),
], 'TurnStartParams');
export type TurnStartParams = t.TypeOf<typeof TurnStartParams>;

/** Result of `turn/start`. */
export const TurnStartResponse = t.type({
  turn: Turn,
}, 'TurnStartResponse');
export type TurnStartResponse = t.TypeOf<typeof TurnStartResponse>;

/** Params of `turn/steer`. */
export const TurnSteerParams = t.type({
  /** Required active turn id precondition. The request fails when it does not match the currently active turn. */
  expectedTurnId: t.string,
  input: t.array(UserInput),
  threadId: t.string,
}, 'TurnSteerParams');
export type TurnSteerParams = t.TypeOf<typeof TurnSteerParams>;

/** Result of `turn/steer`. */
export const TurnSteerResponse = t.type({
  turnId: t.string,
}, 'TurnSteerResponse');
export type TurnSteerResponse = t.TypeOf<typeof TurnSteerResponse>;
