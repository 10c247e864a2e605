// Server→client requests that wait for the user (SPEC §5): command and file-change approvals
// (accept, accept for session, decline) and `request_user_input` questions (options as buttons,
// free text "Other"). Each is answered with `{id, result}`; requests this client cannot serve are
// answered with an error at once, so the server never waits on them.

import { BehaviorSubject, combineLatest, filter, type Observable } from 'rxjs';
import { h, replaceChildren } from './dom.js';
import type {
  CommandDecision,
  CommandExecutionRequestApprovalParams,
  FileChangeRequestApprovalParams,
  ThreadItem,
  ToolRequestUserInputParams,
  ToolRequestUserInputQuestion,
} from './protocol.js';
import type { RpcClient, ServerRequest } from './rpc.js';

export const COMMAND_APPROVAL = 'item/commandExecution/requestApproval';
export const FILE_CHANGE_APPROVAL = 'item/fileChange/requestApproval';
export const USER_INPUT = 'item/tool/requestUserInput';
const HANDLED = new Set([COMMAND_APPROVAL, FILE_CHANGE_APPROVAL, USER_INPUT]);

interface ThreadScoped {
  readonly threadId: string;
  readonly turnId: string;
  readonly itemId: string;
}

/**
 * The requests waiting for an answer, oldest first. They are void once their connection is gone
 * (a new session clears them) or their turn has completed.
 *
 * @example
 * const pending = new PendingRequests(rpc);
 * pending.answer(request, { decision: 'accept' });
 */
export class PendingRequests {
  readonly requests$ = new BehaviorSubject<readonly ServerRequest[]>([]);

  constructor(private readonly rpc: RpcClient) {
    rpc.serverRequests$.subscribe((request) => {
      if (HANDLED.has(request.method)) this.requests$.next([...this.requests$.value, request]);
      else rpc.respondError(request, -32601, `the rxagent web client does not handle ${request.method}`);
    });
    rpc.ready$.subscribe(() => this.requests$.next([]));
    rpc.notifications$.pipe(filter((n) => n.method === 'turn/completed')).subscribe((n) => {
      const { threadId, turn } = n.params as { threadId: string; turn: { id: string } };
      this.drop((request) => {
        const p = request.params as ThreadScoped;
        return p.threadId === threadId && p.turnId === turn.id;
      });
    });
  }

  answer(request: ServerRequest, result: unknown): void {
    this.rpc.respond(request, result);
    this.drop((r) => r === request);
  }

  private drop(predicate: (request: ServerRequest) => boolean): void {
    const kept = this.requests$.value.filter((request) => !predicate(request));
    if (kept.length !== this.requests$.value.length) this.requests$.next(kept);
  }
}

const decisionButtons = (answer: (decision: CommandDecision) => void): HTMLElement =>
  h(
    'div',
    { class: 'request-actions' },
    h('button', { type: 'button', class: 'primary', 'data-testid': 'approve-accept', onclick: () => answer('accept') }, 'Accept'),
    h('button', { type: 'button', 'data-testid': 'approve-session', onclick: () => answer('acceptForSession') }, 'Accept for session'),
    h('button', { type: 'button', class: 'danger', 'data-testid': 'approve-decline', onclick: () => answer('decline') }, 'Decline'),
  );

const commandCard = (params: CommandExecutionRequestApprovalParams, answer: (decision: CommandDecision) => void): HTMLElement[] => [
  h('div', { class: 'request-title' }, 'Run this command?'),
  h('pre', { class: 'command-line', 'data-testid': 'approval-command' }, `$ ${params.command ?? '(command not given)'}`),
  params.cwd ? h('div', { class: 'muted' }, `in ${params.cwd}`) : null,
  params.reason ? h('div', { class: 'request-reason' }, params.reason) : null,
  decisionButtons(answer),
].filter((e): e is HTMLElement => e !== null);

const fileChangeCard = (params: FileChangeRequestApprovalParams, item: ThreadItem | undefined, answer: (decision: CommandDecision) => void): HTMLElement[] => {
  const paths = item?.type === 'fileChange' ? item.changes.map((change) => change.path) : [];
  return [
    h('div', { class: 'request-title' }, 'Apply these file changes?'),
    paths.length ? h('ul', { class: 'request-paths', 'data-testid': 'approval-paths' }, ...paths.map((path) => h('li', {}, h('code', {}, path)))) : null,
    params.grantRoot ? h('div', { class: 'request-reason' }, `Also asks for write access under ${params.grantRoot} for the session.`) : null,
    params.reason ? h('div', { class: 'request-reason' }, params.reason) : null,
    decisionButtons(answer),
  ].filter((e): e is HTMLElement => e !== null);
};

/** One question: option buttons (one can be chosen) and an "Other" field that wins when filled. */
const questionBlock = (question: ToolRequestUserInputQuestion, choice: Map<string, string>, others: Map<string, HTMLInputElement>): HTMLElement => {
  const options = question.options ?? [];
  const buttons = options.map((option) =>
    h(
      'button',
      {
        type: 'button',
        class: 'option',
        'data-testid': 'user-input-option',
        'aria-pressed': 'false',
        title: option.description,
        onclick: (event: Event) => {
          choice.set(question.id, option.label);
          for (const b of buttons) b.setAttribute('aria-pressed', String(b === event.currentTarget));
        },
      },
      h('span', { class: 'option-label' }, option.label),
      option.description ? h('span', { class: 'option-description' }, option.description) : null,
    ),
  );
  const other = h('input', {
    type: question.isSecret ? 'password' : 'text',
    class: 'other',
    'data-testid': 'user-input-other',
    placeholder: 'Other…',
    'aria-label': `Other answer to: ${question.question}`,
  });
  others.set(question.id, other);
  return h(
    'fieldset',
    { class: 'question', 'data-testid': 'user-input-question', 'data-question-id': question.id },
    h('legend', {}, question.header || 'Question'),
    h('div', { class: 'question-text' }, question.question),
    h('div', { class: 'options' }, ...buttons),
    question.isOther || options.length === 0 ? other : null,
  );
};

const userInputCard = (params: ToolRequestUserInputParams, submit: (answers: Record<string, { answers: string[] }>) => void): HTMLElement[] => {
  const choice = new Map<string, string>();
  const others = new Map<string, HTMLInputElement>();
  const collect = (): Record<string, { answers: string[] }> => {
    const answers: Record<string, { answers: string[] }> = {};
    for (const question of params.questions) {
      const other = others.get(question.id)?.value.trim() ?? '';
      const chosen = other || choice.get(question.id);
      answers[question.id] = { answers: chosen ? [chosen] : [] };
    }
    return answers;
  };
  return [
    h('div', { class: 'request-title' }, 'The agent asks:'),
    ...params.questions.map((question) => questionBlock(question, choice, others)),
    h('div', { class: 'request-actions' }, h('button', { type: 'button', class: 'primary', 'data-testid': 'user-input-submit', onclick: () => submit(collect()) }, 'Answer')),
  ];
};

export interface RequestViewContext {
  readonly pending: PendingRequests;
  /** The open thread's id (requests of other threads get a link to theirs). */
  readonly openThreadId$: Observable<string | null>;
  readonly findItem: (itemId: string) => ThreadItem | undefined;
  readonly openThread: (threadId: string) => void;
}

/**
 * Keeps `root` showing the pending requests. Cards are keyed by request: a card, and what the user
 * has chosen or typed in it, survives other requests coming and going.
 */
export function mountRequests(root: HTMLElement, ctx: RequestViewContext): void {
  const cards = new Map<ServerRequest, HTMLElement>();
  combineLatest([ctx.pending.requests$, ctx.openThreadId$]).subscribe(([requests, openThreadId]) => {
    for (const [request, card] of cards) {
      if (!requests.includes(request)) {
        card.remove();
        cards.delete(request);
      }
    }
    for (const request of requests) {
      if (!cards.has(request)) cards.set(request, requestCard(request, ctx));
    }
    replaceChildren(root, ...requests.map((request) => cards.get(request) as HTMLElement));
    for (const card of cards.values()) {
      const elsewhere = card.querySelector<HTMLElement>('.elsewhere');
      if (elsewhere) elsewhere.hidden = card.dataset.threadId === openThreadId;
    }
    root.hidden = requests.length === 0;
  });
}

const requestCard = (request: ServerRequest, ctx: RequestViewContext): HTMLElement => {
  const params = request.params as ThreadScoped;
  const decide = (decision: CommandDecision): void => ctx.pending.answer(request, { decision });
  const kind = request.method === COMMAND_APPROVAL ? 'command' : request.method === FILE_CHANGE_APPROVAL ? 'fileChange' : 'userInput';
  const body =
    kind === 'command'
      ? commandCard(request.params as CommandExecutionRequestApprovalParams, decide)
      : kind === 'fileChange'
        ? fileChangeCard(request.params as FileChangeRequestApprovalParams, ctx.findItem(params.itemId), decide)
        : userInputCard(request.params as ToolRequestUserInputParams, (answers) => ctx.pending.answer(request, { answers }));
  const elsewhere = h(
    'div',
    { class: 'elsewhere muted' },
    'In another thread. ',
    h('button', { type: 'button', class: 'link', onclick: () => ctx.openThread(params.threadId) }, 'Open it'),
  );
  return h(
    'div',
    {
      class: `request request-${kind}`,
      role: 'group',
      'aria-label': kind === 'userInput' ? 'Question from the agent' : 'Approval needed',
      'data-testid': kind === 'userInput' ? 'user-input-request' : 'approval',
      'data-kind': kind,
      'data-item-id': params.itemId,
      'data-thread-id': params.threadId,
    },
    elsewhere,
    ...body,
  );
};
