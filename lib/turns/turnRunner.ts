import { defer, EMPTY, of, Subject, takeUntil, type SchedulerLike } from 'rxjs';
import { ModelError } from '../model/modelError.js';
import { resolveModelProvider } from '../model/provider.js';
import { UNKNOWN_CODEX_LIMITS, type CoreRateLimitSnapshot } from '../model/rateLimits.js';
import { TurnState, type ModelAuth } from '../model/requestTarget.js';
import { streamResponses, type ResponsesStreamEvent } from '../model/responsesClient.js';
import type { ResponsesRequest } from '../model/responsesRequest.js';
import type { ModelEvent } from '../model/modelEvents.js';
import { autoCompactTokenLimit } from '../model/modelCatalog.js';
import { compactionRequest, SUMMARY_PREFIX } from './compactionPrompt.js';
import type { CodexErrorInfo, CollaborationMode, ResponseItem, TurnError, UserInput } from '../protocol/index.js';
import { lines } from '../rollout/lines.js';
import type { RolloutLine } from '../rollout/rolloutLine.js';
import type { Sandbox } from '../sandbox/index.js';
import type { ServerRequests } from '../server/serverRequests.js';
import type { ActiveTurn, LiveThread } from '../threads/liveThread.js';
import type { World } from '../threads/world.js';
import { historyForPrompt } from '../threads/promptHistory.js';
import { historyReducer } from '../../reducers/historyReducer.js';
import { inOrder } from '../../streams/inOrder.js';
import { ResponseAssembler, type Persisted, type TurnEffect } from './responseAssembler.js';
import { rateLimitsWire } from './rateLimitsWire.js';
import { contextWindow, reestimatedUsage } from './tokenEstimate.js';
import { emptyTurnDiff } from '../tools/applyPatch/index.js';
import type { ToolCallItem, ToolContext, ToolRouter, TurnScratch } from './toolRouter.js';
import { addUsage, tokenInfoOf, tokenInfoWire, turnContextPayload, type TokenInfo } from './turnRecords.js';
import { modelUserMessage, userMessageEvent, userMessageItem } from './userInput.js';

/** What every turn of the server shares. */
export interface TurnServices {
  /** Runs commands under the session's sandbox policy (tools and `command/exec`). */
  readonly sandbox: Sandbox;
  readonly world: World;
  readonly env: NodeJS.ProcessEnv;
  readonly serverRequests: ServerRequests;
  readonly originator: () => string;
  readonly userAgent: () => string;
  readonly auth?: ModelAuth;
  readonly tools: ToolRouter;
  /** Backoff and idle timers of the model client; default asyncScheduler. */
  readonly scheduler?: SchedulerLike;
}

/** One turn's request: a regular turn with the user's input, or a compaction (`thread/compact/start`). */
export interface TurnRequest {
  readonly id: string;
  readonly kind: 'regular' | 'compact';
  readonly input: readonly UserInput[];
  readonly outputSchema: unknown;
  readonly collaborationMode: CollaborationMode;
}

/** The interrupt marker recorded for the model (a wrapper both servers recognise as context). */
const TURN_ABORTED_TEXT =
  '<turn_aborted>\nThe user interrupted the previous turn. Anything it was doing may be incomplete; wait for their next message before continuing.\n</turn_aborted>';

class Interrupted extends Error {
  constructor() {
    super('turn interrupted');
  }
}


/**
 * Runs one turn (SPEC §4.15, §12.5): records the user input, then samples the model, streaming
 * its items to the subscribed clients and persisting what the reference persists, runs the tool
 * calls it makes, and loops while tools ran or steered input waits; then completes the turn.
 *
 * Interrupting stops the model stream (the HTTP request is aborted by unsubscribing), tells
 * running tools to stop, records the interrupt marker and completes the turn as `interrupted`.
 *
 * @example
 * const turn = new TurnRunner(thread, services, { id, input, outputSchema: null, collaborationMode });
 * thread.activeTurn = turn;
 * await turn.start();
 */
export class TurnRunner implements ActiveTurn {
  readonly id: string;
  private readonly interruptSubject = new Subject<void>();
  private interrupted = false;
  private readonly pending: Array<readonly UserInput[]> = [];
  private rateLimits: CoreRateLimitSnapshot = UNKNOWN_CODEX_LIMITS;
  private lastAgentMessage: string | null = null;
  private running: Promise<void> | undefined;
  private readonly aborted: Promise<void>;
  private readonly scratch: TurnScratch = { turnDiff: emptyTurnDiff };
  private markAborted!: () => void;
  private toolsStopped: Promise<void> = Promise.resolve();

  constructor(
    private readonly thread: LiveThread,
    private readonly services: TurnServices,
    private readonly request: TurnRequest,
  ) {
    this.id = request.id;
    this.aborted = new Promise((resolve) => (this.markAborted = resolve));
  }

  /** Runs the turn to its end; resolves once `turn/completed` is out. Never rejects. */
  start(): Promise<void> {
    this.running ??= this.run().finally(() => {
      if (this.thread.activeTurn === this) this.thread.activeTurn = undefined;
    });
    return this.running;
  }

  /** Queues input for the next sampling round of this turn (`turn/steer`). */
  steer(input: readonly UserInput[]): void {
    this.pending.push(input);
  }

  interrupt(): Promise<void> {
    if (!this.interrupted) {
      this.interrupted = true;
      this.interruptSubject.next();
      this.interruptSubject.complete();
      // Kills the thread's running commands; `abort` waits for them before completing the turn.
      this.toolsStopped = this.services.tools.interrupt?.(this.thread).catch(() => undefined) ?? Promise.resolve();
    }
    // A turn that ends some other way while being interrupted settles through `running`.
    return Promise.race([this.aborted, this.running ?? Promise.resolve()]);
  }

  private get planMode(): boolean {
    return this.request.collaborationMode.mode === 'plan';
  }

  private now(): Date {
    return this.services.world.now();
  }

  private notify(method: string, params: Record<string, unknown>): void {
    this.thread.notify(method, { threadId: this.thread.id, turnId: this.id, ...params });
  }

  private notifyItem(method: 'item/started' | 'item/completed', item: unknown): void {
    this.thread.notify(method, { item, threadId: this.thread.id, turnId: this.id });
  }

  private persist(items: readonly Persisted[]): Promise<void> {
    const at = this.now();
    const out: RolloutLine[] = items.map((p) => ('event' in p ? lines.event(p.event, at) : lines.responseItem(p.item, at)));
    return this.thread.persist(out);
  }

  private checkInterrupted(): void {
    if (this.interrupted) throw new Interrupted();
  }

  private async run(): Promise<void> {
    try {
      if (this.request.kind === 'compact') {
        await this.compact();
        await this.complete('completed', null);
        return;
      }
      await this.recordStart();
      for (;;) {
        this.checkInterrupted();
        while (this.pending.length > 0) await this.recordUserInput(this.pending.shift()!);
        // At most once per round: a history still over the limit after compaction is sent as it is.
        if (this.needsCompaction()) await this.compactHistory();
        const calls = await this.sample();
        for (const call of calls) {
          this.checkInterrupted();
          const { output } = await this.services.tools.run(call, this.toolContext());
          await this.persist([{ item: output }]);
        }
        if (calls.length === 0 && this.pending.length === 0) break;
      }
      await this.complete('completed', null);
    } catch (err) {
      if (this.interrupted || err instanceof Interrupted) await this.abort();
      else await this.fail(err);
    }
  }

  /** Materializes the rollout and records `task_started` and the user's input (SPEC §6.4). */
  private async recordStart(): Promise<void> {
    await this.thread.materialize();
    const context = this.thread.pendingInitialContext;
    this.thread.pendingInitialContext = [];
    await this.persist([...context.map((item): Persisted => ({ item })), ...this.modeChange(), this.taskStarted()]);
    await this.recordUserInput(this.request.input);
  }

  private taskStarted(): Persisted {
    const info = this.thread.catalog.lookup(this.thread.settings.model);
    return {
      event: {
        type: 'task_started',
        turn_id: this.id,
        model_context_window: contextWindow(info),
        collaboration_mode_kind: this.request.collaborationMode.mode,
      },
    };
  }

  /**
   * A local compaction (SPEC §4.14): asks the model for a hand-off summary of the history, then
   * persists a `compacted` line the history reducer replaces the history with (initial context,
   * recent user messages, the summary). The model's answer itself is not recorded.
   */
  private async compact(): Promise<void> {
    await this.thread.materialize();
    await this.persist([this.taskStarted()]);
    await this.compactHistory();
  }

  /**
   * Whether the history must be compacted before the next request (SPEC §4.14, automatic
   * compaction): the last request's tokens reached the model's auto-compact limit.
   */
  private needsCompaction(): boolean {
    const limit = autoCompactTokenLimit(this.thread.catalog.lookup(this.thread.settings.model));
    const last = this.thread.state.thread.tokenUsage?.last.totalTokens;
    return limit !== null && last !== undefined && last >= limit;
  }

  /** Summarizes the history and replaces it (manual compaction's work, and inline auto-compaction). */
  private async compactHistory(): Promise<void> {
    const item = { type: 'contextCompaction', id: this.services.world.newId() };
    this.notifyItem('item/started', item);
    let summary = '';
    await this.stream([...(await historyForPrompt(this.thread.state.history)), compactionRequest()], false, async (event) => {
      if (event.type === 'outputItemDone' && event.item.type === 'message' && event.item.role === 'assistant') {
        summary = event.item.content.map((part) => ('text' in part ? part.text : '')).join('');
      }
    });
    const message = `${SUMMARY_PREFIX}\n${summary === '' ? '(no summary available)' : summary}`;
    const compacted = lines.compacted({ message }, this.now());
    // As the reference: the usage re-estimated for the compacted history, then the compaction.
    await this.tokenCount(await reestimatedUsage(this.thread, historyReducer(this.thread.state.history, compacted)));
    await this.thread.persist([compacted]);
    await this.persist([{ event: { type: 'context_compacted' } }]);
    this.notifyItem('item/completed', item);
    this.notify('thread/compacted', {});
  }

  /** The mode's developer instructions, recorded when the thread's mode changes (SPEC §7.1). */
  private modeChange(): Persisted[] {
    const mode = this.request.collaborationMode;
    const previous = this.thread.recordedMode;
    this.thread.recordedMode = mode.mode;
    if (previous === mode.mode || (previous === null && mode.mode === 'default')) return [];
    const text = mode.settings.developer_instructions;
    return text ? [{ item: { type: 'message', role: 'developer', content: [{ type: 'input_text', text }] } }] : [];
  }

  private async recordUserInput(input: readonly UserInput[]): Promise<void> {
    await this.persist([{ item: await modelUserMessage(input) }, { event: userMessageEvent(input) }]);
    const item = userMessageItem(this.services.world.newId(), input);
    this.notifyItem('item/started', item);
    this.notifyItem('item/completed', item);
  }

  /** One model request of a regular turn: streams the response into items and returns the tool calls it made. */
  private async sample(): Promise<ToolCallItem[]> {
    const assembler = new ResponseAssembler({ threadId: this.thread.id, turnId: this.id, planMode: this.planMode });
    const calls: ToolCallItem[] = [];
    await this.stream(await historyForPrompt(this.thread.state.history), true, (event) => this.apply(assembler.step(event), calls));
    if (assembler.lastAgentMessage !== null) this.lastAgentMessage = assembler.lastAgentMessage;
    return calls;
  }

  /**
   * Sends one model request for `input` (a `turn_context` line first) and passes its events to
   * `onEvent`, in order, each awaited. Retry notices become `error` notifications with
   * `willRetry`; rate limits and usage become `token_count` lines and their notifications.
   */
  private async stream(input: ResponseItem[], withTools: boolean, onEvent: (event: ModelEvent) => Promise<void> | void): Promise<void> {
    const settings = this.thread.settings;
    await this.thread.persist([lines.turnContext(turnContextPayload(this.id, settings, this.request.collaborationMode, this.request.outputSchema, this.thread.catalog.lookup(settings.model).truncation_policy), this.now())]);
    const info = this.thread.catalog.lookup(settings.model);
    const provider = resolveModelProvider(
      { model_provider: settings.modelProvider, model_providers: this.thread.config.modelProviders },
      { env: this.services.env },
    );
    const reasoning = info.supports_reasoning_summaries
      ? {
          ...(settings.reasoningEffort ? { effort: settings.reasoningEffort } : {}),
          ...(settings.reasoningSummary !== 'none' ? { summary: settings.reasoningSummary } : {}),
        }
      : null;
    const schema = this.request.outputSchema;
    const text = {
      ...(info.support_verbosity && info.default_verbosity ? { verbosity: info.default_verbosity } : {}),
      ...(schema !== undefined && schema !== null
        ? { format: { type: 'json_schema', strict: true, schema, name: 'codex_output_schema' } }
        : {}),
    };
    const request: ResponsesRequest = {
      model: settings.model,
      instructions: settings.baseInstructions ?? '',
      input,
      tools: withTools ? this.services.tools.specs({ thread: this.thread, planMode: this.planMode }) : [],
      parallelToolCalls: info.supports_parallel_tool_calls,
      reasoning,
      store: false,
      include: reasoning ? ['reasoning.encrypted_content'] : [],
      promptCacheKey: this.thread.id,
      ...(Object.keys(text).length > 0 ? { text } : {}),
    };
    const window = contextWindow(info);
    const stream = streamResponses(request, {
      provider,
      context: {
        sessionId: this.thread.id,
        originator: this.services.originator(),
        userAgent: this.services.userAgent(),
        turnState: new TurnState(),
      },
      ...(this.services.auth ? { auth: this.services.auth } : {}),
      env: this.services.env,
      ...(this.services.scheduler ? { scheduler: this.services.scheduler } : {}),
    });
    const dispatch = async (event: ResponsesStreamEvent): Promise<void> => {
      switch (event.type) {
        case 'retrying':
          if (event.report) {
            this.notify('error', {
              error: { message: event.message, codexErrorInfo: event.codexErrorInfo, additionalDetails: event.additionalDetails },
              willRetry: true,
            });
          }
          return;
        case 'transportFallback':
          return;
        case 'rateLimits':
          this.rateLimits = event.snapshots[0] ?? UNKNOWN_CODEX_LIMITS;
          await this.tokenCount(tokenInfoOf(this.thread.state.thread.tokenUsage));
          return;
        case 'completed':
          await onEvent(event);
          if (event.tokenUsage) await this.tokenCount(addUsage(tokenInfoOf(this.thread.state.thread.tokenUsage), event.tokenUsage, window));
          return;
        default:
          await onEvent(event);
      }
    };
    // Deltas (the bulk) only notify: they are handled synchronously; an event that persists, or
    // a full client queue, makes the events behind it wait, in order.
    const handle = (event: ResponsesStreamEvent): Promise<void> | void => {
      const writable = this.thread.whenWritable();
      if (writable) return writable.then(() => dispatch(event));
      if (event.type === 'outputTextDelta' || event.type === 'reasoningSummaryDelta' || event.type === 'reasoningContentDelta') {
        return onEvent(event);
      }
      return dispatch(event);
    };
    await inOrder(defer(() => (this.interrupted ? EMPTY : stream)).pipe(takeUntil(this.interruptSubject)), handle);
    this.checkInterrupted();
  }

  /** Applies effects in order; returns a promise only when one of them persists. */
  private apply(effects: readonly TurnEffect[], calls: ToolCallItem[], from = 0): Promise<void> | void {
    for (let i = from; i < effects.length; i++) {
      const effect = effects[i]!;
      if (effect.kind === 'notify') this.thread.notify(effect.method, effect.params);
      else if (effect.kind === 'persist') return this.persist(effect.lines).then(() => this.apply(effects, calls, i + 1));
      else calls.push(effect.item as ToolCallItem);
    }
  }

  /** Persists a `token_count` and tells clients the usage (when known) and the rate limits. */
  private async tokenCount(info: TokenInfo | null): Promise<void> {
    await this.persist([{ event: { type: 'token_count', info, rate_limits: this.rateLimits } }]);
    if (info) this.notify('thread/tokenUsage/updated', { tokenUsage: tokenInfoWire(info) });
    this.thread.notify('account/rateLimits/updated', { rateLimits: rateLimitsWire(this.rateLimits) });
  }

  private toolContext(): ToolContext {
    return {
      thread: this.thread,
      turnId: this.id,
      world: this.services.world,
      env: this.services.env,
      serverRequests: this.services.serverRequests,
      planMode: this.planMode,
      scratch: this.scratch,
      // A tool that starts waiting after the interrupt (e.g. after reading files) must still see it.
      interrupted$: defer(() => (this.interrupted ? of(undefined) : this.interruptSubject)),
      notify: (method, params) => this.notify(method, params),
      notifyItem: (method, item) => this.notifyItem(method, item),
      cancelTurn: () => void this.interrupt(),
    };
  }

  private async complete(status: 'completed' | 'failed', error: TurnError | null): Promise<void> {
    // Input steered in after the last sampling round (a failed turn) is recorded without a model call, as the reference does.
    while (this.pending.length > 0) await this.recordUserInput(this.pending.shift()!).catch(() => undefined);
    // Checked and released in one step: input that `turn/steer` or `turn/start` brings from now on
    // goes to a new turn instead of being lost while the last line is written.
    if (this.thread.activeTurn === this) this.thread.activeTurn = undefined;
    await this.persist([{ event: { type: 'task_complete', turn_id: this.id, last_agent_message: this.lastAgentMessage } }]).catch(() => undefined);
    this.thread.notify('turn/completed', { threadId: this.thread.id, turn: { id: this.id, items: [], status, error } });
  }

  private async fail(err: unknown): Promise<void> {
    const error: TurnError = {
      message: err instanceof Error ? err.message : String(err),
      codexErrorInfo: err instanceof ModelError ? (err.codexErrorInfo as CodexErrorInfo) : 'other',
      additionalDetails: null,
    };
    this.notify('error', { error, willRetry: false });
    await this.complete('failed', error);
  }

  /** Records the interrupt for the model and the file, then completes the turn as interrupted (SPEC §4.12). */
  private async abort(): Promise<void> {
    await this.toolsStopped;
    const marker: ResponseItem = { type: 'message', role: 'user', content: [{ type: 'input_text', text: TURN_ABORTED_TEXT }] };
    await this.persist([{ item: marker }, { event: { type: 'turn_aborted', turn_id: this.id, reason: 'interrupted' } }]).catch(() => undefined);
    this.markAborted();
    // Lets the `turn/interrupt` answers go out before `turn/completed` (SPEC §4.12).
    await new Promise((resolve) => setImmediate(resolve));
    this.thread.notify('turn/completed', { threadId: this.thread.id, turn: { id: this.id, items: [], status: 'interrupted', error: null } });
  }
}

