import type { ResponseItem, ThreadItem } from '../protocol/index.js';
import type { KnownEventMsg } from '../rollout/eventMsg.js';
import type { ModelEvent } from '../model/modelEvents.js';
import { extractProposedPlanText, PROPOSED_PLAN, stripProposedPlanBlocks } from '../../streams/proposedPlan.js';
import { finishTaggedBlocks, initTaggedBlocks, stepTaggedBlocks, type Segment, type TaggedBlocksState } from '../../streams/taggedBlocks.js';

/** Something persisted to the rollout: an event or a response item. */
export type Persisted = { readonly event: KnownEventMsg } | { readonly item: ResponseItem };

/**
 * What one model event means for the turn, in order: notifications to publish, lines to
 * persist (persisted before anything after them is published), tool calls to run once the
 * response is complete.
 */
export type TurnEffect =
  | { readonly kind: 'notify'; readonly method: string; readonly params: Record<string, unknown> }
  | { readonly kind: 'persist'; readonly lines: readonly Persisted[] }
  | { readonly kind: 'toolCall'; readonly item: ResponseItem };

type MessageItem = Extract<ResponseItem, { type: 'message' }>;
type ReasoningItem = Extract<ResponseItem, { type: 'reasoning' }>;
type WebSearchItem = Extract<ResponseItem, { type: 'web_search_call' }>;

interface MessageState {
  readonly id: string;
  started: boolean;
  /** Plan mode: whitespace seen before the message's first visible text (SPEC §7.3). */
  leadingWhitespace: string;
  parser: TaggedBlocksState<'proposed_plan'> | undefined;
}

const messageText = (item: MessageItem): string =>
  item.content.map((part) => (part.type === 'output_text' || part.type === 'input_text' ? part.text : '')).join('');

const webSearchQuery = (item: WebSearchItem): string => {
  const action = item.action as Record<string, unknown> | null | undefined;
  if (!action) return '';
  const query = action.query ?? action.url ?? action.pattern;
  return typeof query === 'string' ? query : '';
};

const webSearchItem = (item: WebSearchItem, id: string): ThreadItem =>
  ({ type: 'webSearch', id, query: webSearchQuery(item), action: (item.action ?? null) as never }) as ThreadItem;

/**
 * Turns the events of one model response into the turn's effects (SPEC §4.15–4.16, §7.3): item
 * starts, deltas and completions for agent messages, reasoning and web searches; the persisted
 * legacy events and response items; tool calls. In plan mode the assistant text is split by
 * the `<proposed_plan>` parser: text outside the block streams as the agent message, the block as
 * the `<turnId>-plan` item, completed with the plan extracted from the whole message; the
 * unstripped message is what is persisted for the model.
 *
 * Pure state machine, no I/O: one instance per model response.
 *
 * @example
 * const assembler = new ResponseAssembler({ threadId, turnId, planMode: false });
 * for (const event of events) effects.push(...assembler.step(event));
 */
export class ResponseAssembler {
  private readonly messages = new Map<string, MessageState>();
  private activeMessage: MessageState | undefined;
  private planStarted = false;
  private planCompleted = false;
  /** The reasoning item the summary and content deltas belong to (they carry no item id). */
  private reasoningId = '';
  /** The last assistant message's visible text: `task_complete.last_agent_message`. */
  lastAgentMessage: string | null = null;

  constructor(private readonly turn: { readonly threadId: string; readonly turnId: string; readonly planMode: boolean }) {}

  private get planId(): string {
    return `${this.turn.turnId}-plan`;
  }

  private notify(method: string, params: Record<string, unknown>): TurnEffect {
    return { kind: 'notify', method, params: { threadId: this.turn.threadId, turnId: this.turn.turnId, ...params } };
  }

  private itemNotify(method: 'item/started' | 'item/completed', item: ThreadItem): TurnEffect {
    return { kind: 'notify', method, params: { item, threadId: this.turn.threadId, turnId: this.turn.turnId } };
  }

  step(event: ModelEvent): TurnEffect[] {
    switch (event.type) {
      case 'outputItemAdded':
        return this.itemAdded(event.item);
      case 'outputTextDelta':
        return this.textDelta(event.delta);
      case 'reasoningSummaryPartAdded':
        return [this.notify('item/reasoning/summaryPartAdded', { itemId: this.reasoningId, summaryIndex: event.summaryIndex })];
      case 'reasoningSummaryDelta':
        return [this.notify('item/reasoning/summaryTextDelta', { itemId: this.reasoningId, delta: event.delta, summaryIndex: event.summaryIndex })];
      case 'reasoningContentDelta':
        return [this.notify('item/reasoning/textDelta', { itemId: this.reasoningId, delta: event.delta, contentIndex: event.contentIndex })];
      case 'outputItemDone':
        return [...this.finishActiveMessage(), ...this.itemDone(event.item)];
      case 'completed':
        return this.finishActiveMessage();
      case 'created':
      case 'rateLimits':
      case 'modelsEtag':
      case 'serverReasoningIncluded':
        return [];
    }
  }

  private itemAdded(item: ResponseItem): TurnEffect[] {
    if (item.type === 'message' && item.role === 'assistant') {
      const state: MessageState = {
        id: item.id ?? '',
        started: false,
        leadingWhitespace: '',
        parser: this.turn.planMode ? initTaggedBlocks([PROPOSED_PLAN]) : undefined,
      };
      this.messages.set(state.id, state);
      this.activeMessage = state;
      // Plan mode defers the start until the message shows visible text (SPEC §7.3).
      if (this.turn.planMode) return [];
      state.started = true;
      return [this.itemNotify('item/started', { type: 'agentMessage', id: state.id, text: '' })];
    }
    if (item.type === 'reasoning') {
      this.reasoningId = item.id;
      return [this.itemNotify('item/started', { type: 'reasoning', id: item.id, summary: [], content: [] })];
    }
    if (item.type === 'web_search_call') return [this.itemNotify('item/started', webSearchItem(item, item.id ?? ''))];
    return [];
  }

  private textDelta(delta: string): TurnEffect[] {
    const message = this.activeMessage;
    if (!message) return [];
    if (!message.parser) return [this.notify('item/agentMessage/delta', { itemId: message.id, delta })];
    const [parser, segments] = stepTaggedBlocks(message.parser, delta);
    message.parser = parser;
    return this.planSegments(message, segments);
  }

  private planSegments(message: MessageState, segments: readonly Segment<'proposed_plan'>[]): TurnEffect[] {
    const effects: TurnEffect[] = [];
    for (const segment of segments) {
      switch (segment.kind) {
        case 'text': {
          if (!message.started && segment.text.trim() === '') {
            message.leadingWhitespace += segment.text;
            break;
          }
          if (!message.started) {
            message.started = true;
            effects.push(this.itemNotify('item/started', { type: 'agentMessage', id: message.id, text: '' }));
          }
          const delta = message.leadingWhitespace + segment.text;
          message.leadingWhitespace = '';
          effects.push(this.notify('item/agentMessage/delta', { itemId: message.id, delta }));
          break;
        }
        case 'blockStart':
          effects.push(...this.startPlan());
          break;
        case 'blockText':
          if (this.planCompleted || segment.text === '') break;
          effects.push(...this.startPlan(), this.notify('item/plan/delta', { itemId: this.planId, delta: segment.text }));
          break;
        case 'blockEnd':
          break;
      }
    }
    return effects;
  }

  private startPlan(): TurnEffect[] {
    if (this.planStarted || this.planCompleted) return [];
    this.planStarted = true;
    return [this.itemNotify('item/started', { type: 'plan', id: this.planId, text: '' })];
  }

  private finishActiveMessage(): TurnEffect[] {
    const message = this.activeMessage;
    if (!message?.parser) return [];
    const segments = finishTaggedBlocks(message.parser);
    message.parser = initTaggedBlocks([PROPOSED_PLAN]);
    return this.planSegments(message, segments);
  }

  private itemDone(item: ResponseItem): TurnEffect[] {
    switch (item.type) {
      case 'message':
        return item.role === 'assistant' ? this.messageDone(item) : [{ kind: 'persist', lines: [{ item }] }];
      case 'reasoning':
        return this.reasoningDone(item);
      case 'web_search_call':
        return [{ kind: 'persist', lines: [{ item }] }, this.itemNotify('item/completed', webSearchItem(item, item.id ?? ''))];
      case 'function_call':
      case 'custom_tool_call':
      case 'local_shell_call':
        return [{ kind: 'persist', lines: [{ item }] }, { kind: 'toolCall', item }];
      default:
        return [{ kind: 'persist', lines: [{ item }] }];
    }
  }

  private messageDone(item: MessageItem): TurnEffect[] {
    const id = item.id ?? '';
    const state = this.messages.get(id) ?? { id, started: false, leadingWhitespace: '', parser: undefined };
    if (this.activeMessage === state) this.activeMessage = undefined;
    const full = messageText(item);
    const effects: TurnEffect[] = [];
    let visible = full;
    if (this.turn.planMode) {
      const plan = extractProposedPlanText(full);
      if (plan !== undefined && !this.planCompleted) {
        effects.push(...this.startPlan());
        this.planCompleted = true;
        const planItem: ThreadItem = { type: 'plan', id: this.planId, text: plan };
        effects.push(
          { kind: 'persist', lines: [{ event: { type: 'item_completed', thread_id: this.turn.threadId, turn_id: this.turn.turnId, item: { type: 'Plan', id: this.planId, text: plan } } }] },
          this.itemNotify('item/completed', planItem),
        );
      }
      visible = stripProposedPlanBlocks(full);
    }
    const show = !this.turn.planMode || visible.trim() !== '';
    if (show) {
      if (!state.started) effects.push(this.itemNotify('item/started', { type: 'agentMessage', id, text: '' }));
      state.started = true;
      this.lastAgentMessage = visible;
      effects.push({ kind: 'persist', lines: [{ event: { type: 'agent_message', message: visible } }, { item }] });
      effects.push(this.itemNotify('item/completed', { type: 'agentMessage', id, text: visible }));
    } else {
      effects.push({ kind: 'persist', lines: [{ item }] });
    }
    return effects;
  }

  private reasoningDone(item: ReasoningItem): TurnEffect[] {
    const summary = item.summary.map((part) => part.text);
    const content = (item.content ?? []).flatMap((part) => ('text' in part ? [part.text] : []));
    return [
      { kind: 'persist', lines: [...summary.map((text): Persisted => ({ event: { type: 'agent_reasoning', text } })), { item }] },
      this.itemNotify('item/completed', { type: 'reasoning', id: item.id, summary, content }),
    ];
  }
}
