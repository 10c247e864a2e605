import type { Observable } from 'rxjs';
import type { ResponseItem } from '../protocol/index.js';
import type { TurnDiff } from '../tools/applyPatch/index.js';
import type { ServerRequests } from '../server/serverRequests.js';
import type { LiveThread } from '../threads/liveThread.js';
import type { World } from '../threads/world.js';

/** A tool call the model made: a `function_call`, `custom_tool_call` or `local_shell_call`. */
export type ToolCallItem = Extract<ResponseItem, { type: 'function_call' | 'custom_tool_call' | 'local_shell_call' }>;

/** What a tool sees of the turn it runs in. */
export interface ToolContext {
  readonly thread: LiveThread;
  readonly turnId: string;
  readonly world: World;
  readonly env: NodeJS.ProcessEnv;
  readonly serverRequests: ServerRequests;
  readonly scratch: TurnScratch;
  /** Plan mode is on for this turn. */
  readonly planMode: boolean;
  /** Fires when the turn is interrupted: running commands are killed, waits are abandoned. */
  readonly interrupted$: Observable<void>;
  /** Sends a notification stamped with the thread and turn (`{threadId, turnId, ...params}`). */
  notify(method: string, params: Record<string, unknown>): void;
  /** Sends an `item/started` / `item/completed` notification for `item`. */
  notifyItem(method: 'item/started' | 'item/completed', item: unknown): void;
  /** Interrupts the whole turn (a `cancel` approval decision). */
  cancelTurn(): void;
}

/** What tools of one turn share: the aggregated diff of the files they changed. */
export interface TurnScratch {
  turnDiff: TurnDiff;
}

/** The model-facing result of a tool call. */
export interface ToolResult {
  readonly output: ResponseItem;
}

/**
 * The tools of a turn: what the model is offered, and how a call is run.
 *
 * @example
 * const result = await router.run(call, ctx); // result.output is the function_call_output item
 */
export interface ToolRouter {
  /** The `tools` array of the model request. */
  specs(ctx: Pick<ToolContext, 'thread' | 'planMode'>): unknown[];
  /** Runs one call; never rejects for a tool failure (the failure is the output the model sees). */
  run(call: ToolCallItem, ctx: ToolContext): Promise<ToolResult>;
  /**
   * Stops what the thread's tools keep running beyond a call (unified-exec sessions) when its
   * turn is interrupted (SPEC §4.12) or a client cleans its background terminals; resolves once
   * those processes are gone.
   */
  interrupt?(thread: LiveThread): Promise<void>;
}

