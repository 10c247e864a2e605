import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { VirtualAction, VirtualTimeScheduler } from 'rxjs';
import { WebSocketServer, type WebSocket } from 'ws';

// An in-process stand-in for the OpenAI Responses API on 127.0.0.1: `POST /v1/responses` as SSE
// and the same endpoint as a WebSocket (`response.create` frames), answering from a script and
// recording every request. Nothing waits on wall-clock time: a response is written at once, or
// held open until the client goes away.

/** Token usage as `response.completed` carries it. */
export interface MockUsage {
  readonly input_tokens: number;
  readonly input_tokens_details: { readonly cached_tokens: number };
  readonly output_tokens: number;
  readonly output_tokens_details: { readonly reasoning_tokens: number };
  readonly total_tokens: number;
}

/** The usage a completed response reports unless the script says otherwise. */
export const DEFAULT_MOCK_USAGE: MockUsage = {
  input_tokens: 100,
  input_tokens_details: { cached_tokens: 0 },
  output_tokens: 10,
  output_tokens_details: { reasoning_tokens: 0 },
  total_tokens: 110,
};

/** One output item of a scripted response; the mock generates the events a real server sends for it. */
export type MockOutputItem =
  /** An assistant message; `chunks` (joining to `text`) are the `output_text.delta`s. */
  | { readonly type: 'message'; readonly text: string; readonly chunks?: readonly string[]; readonly id?: string; readonly phase?: 'commentary' | 'final_answer' }
  /** A reasoning item with summary parts, each streamed as one delta. */
  | { readonly type: 'reasoning'; readonly summary: readonly string[]; readonly id?: string; readonly encryptedContent?: string }
  | { readonly type: 'function_call'; readonly name: string; readonly arguments: string; readonly callId: string; readonly id?: string }
  | { readonly type: 'custom_tool_call'; readonly name: string; readonly input: string; readonly callId: string; readonly id?: string }
  /** A hosted web search the provider ran: `in_progress`, `searching`, `completed` events around the item. */
  | { readonly type: 'web_search_call'; readonly query: string; readonly id?: string };

/**
 * How a scripted response ends:
 * - `complete`: `response.completed` (with `usage`), then the end of the body;
 * - `eof`: the body (or WebSocket) ends without `response.completed`;
 * - `reset`: the connection is destroyed;
 * - `hold`: nothing more is sent; the response stays open until the client goes away.
 */
export type MockEnd = 'complete' | 'eof' | 'reset' | 'hold';

interface MockCommon {
  /** Serve this entry only to a request it accepts (default: any). */
  readonly when?: (request: RecordedRequest) => boolean;
  /** Extra response headers (HTTP) or handshake-independent error headers (WebSocket error frames). */
  readonly headers?: Readonly<Record<string, string>>;
}

/** A streamed response built from output items. */
export interface MockStream extends MockCommon {
  readonly output: readonly MockOutputItem[];
  readonly responseId?: string;
  /** `null`: `response.completed` without usage. */
  readonly usage?: Partial<MockUsage> | null;
  /** Default `complete`. */
  readonly end?: MockEnd;
}

/** A streamed response of exactly these event objects (no `response.completed` unless listed). */
export interface MockEvents extends MockCommon {
  readonly events: readonly Readonly<Record<string, unknown>>[];
  /** Default `eof`. */
  readonly end?: Exclude<MockEnd, 'complete'>;
}

/** An HTTP error answer; over a WebSocket, an `{"type":"error","status":…}` frame. */
export interface MockHttpError extends MockCommon {
  readonly status: number;
  /** JSON body; default `{"error":{"message":"mock error"}}`. */
  readonly body?: unknown;
}

/** An answer computed from the request it answers (e.g. echoing a session id the server chose). */
export interface MockComputed extends MockCommon {
  readonly respond: (request: RecordedRequest) => MockStream | MockEvents | MockHttpError;
}

/** One scripted answer. */
export type MockResponse = MockStream | MockEvents | MockHttpError | MockComputed;

/** A request the mock received. */
export interface RecordedRequest {
  /** 0 for the first request (over either transport). */
  readonly seq: number;
  readonly transport: 'http' | 'websocket';
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  /** HTTP request headers, or the WebSocket handshake's. */
  readonly headers: IncomingHttpHeaders;
  /** The parsed JSON body; for WebSockets the whole frame (with `type: "response.create"`). */
  readonly body: any;
  /** Index of the script entry that answered, or `default`. */
  readonly served: number | 'default';
}

/** A refused WebSocket handshake. */
export interface MockUpgradeRefusal {
  readonly status: number;
  readonly body?: unknown;
}

const NO_SCRIPT_LEFT: MockHttpError = { status: 400, body: { error: { message: 'mock: no scripted response left', type: 'invalid_request_error' } } };

const isHttpError = (entry: MockResponse): entry is MockHttpError => 'status' in entry;

/** The events a real server streams for `output`, in order, without the final `response.completed`. */
const outputEvents = (output: readonly MockOutputItem[], responseId: string): Record<string, unknown>[] => {
  const events: Record<string, unknown>[] = [
    { type: 'response.created', response: { id: responseId, object: 'response', status: 'in_progress', output: [] } },
    { type: 'response.in_progress', response: { id: responseId, object: 'response', status: 'in_progress', output: [] } },
  ];
  output.forEach((item, index) => {
    const output_index = index;
    switch (item.type) {
      case 'message': {
        const id = item.id ?? `msg_${index}`;
        const chunks = item.chunks ?? [item.text];
        if (chunks.join('') !== item.text) throw new Error(`mock: chunks ${JSON.stringify(chunks)} do not join to ${JSON.stringify(item.text)}`);
        events.push({ type: 'response.output_item.added', output_index, item: { type: 'message', id, role: 'assistant', status: 'in_progress', content: [] } });
        events.push({ type: 'response.content_part.added', item_id: id, output_index, content_index: 0, part: { type: 'output_text', text: '', annotations: [] } });
        for (const delta of chunks) if (delta !== '') events.push({ type: 'response.output_text.delta', item_id: id, output_index, content_index: 0, delta });
        events.push({ type: 'response.output_text.done', item_id: id, output_index, content_index: 0, text: item.text });
        const done: Record<string, unknown> = { type: 'message', id, role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: item.text, annotations: [] }] };
        if (item.phase) done.phase = item.phase;
        events.push({ type: 'response.output_item.done', output_index, item: done });
        break;
      }
      case 'reasoning': {
        const id = item.id ?? `rs_${index}`;
        events.push({ type: 'response.output_item.added', output_index, item: { type: 'reasoning', id, summary: [] } });
        item.summary.forEach((text, summary_index) => {
          events.push({ type: 'response.reasoning_summary_part.added', item_id: id, output_index, summary_index, part: { type: 'summary_text', text: '' } });
          events.push({ type: 'response.reasoning_summary_text.delta', item_id: id, output_index, summary_index, delta: text });
          events.push({ type: 'response.reasoning_summary_text.done', item_id: id, output_index, summary_index, text });
        });
        const done: Record<string, unknown> = { type: 'reasoning', id, summary: item.summary.map((text) => ({ type: 'summary_text', text })) };
        if (item.encryptedContent !== undefined) done.encrypted_content = item.encryptedContent;
        events.push({ type: 'response.output_item.done', output_index, item: done });
        break;
      }
      case 'function_call': {
        const id = item.id ?? `fc_${index}`;
        events.push({ type: 'response.output_item.added', output_index, item: { type: 'function_call', id, call_id: item.callId, name: item.name, arguments: '', status: 'in_progress' } });
        events.push({ type: 'response.function_call_arguments.done', item_id: id, output_index, arguments: item.arguments });
        events.push({ type: 'response.output_item.done', output_index, item: { type: 'function_call', id, call_id: item.callId, name: item.name, arguments: item.arguments, status: 'completed' } });
        break;
      }
      case 'custom_tool_call': {
        const id = item.id ?? `ctc_${index}`;
        events.push({ type: 'response.output_item.done', output_index, item: { type: 'custom_tool_call', id, call_id: item.callId, name: item.name, input: item.input, status: 'completed' } });
        break;
      }
      case 'web_search_call': {
        const id = item.id ?? `ws_${index}`;
        events.push({ type: 'response.output_item.added', output_index, item: { type: 'web_search_call', id, status: 'in_progress' } });
        for (const phase of ['in_progress', 'searching', 'completed']) events.push({ type: `response.web_search_call.${phase}`, item_id: id, output_index });
        events.push({ type: 'response.output_item.done', output_index, item: { type: 'web_search_call', id, status: 'completed', action: { type: 'search', query: item.query } } });
        break;
      }
    }
  });
  return events;
};

/** The script entry as frames to send and how to end. */
const plan = (entry: MockStream | MockEvents, seq: number): { events: Record<string, unknown>[]; end: MockEnd } => {
  if ('events' in entry) return { events: entry.events.map((e) => structuredClone(e) as Record<string, unknown>), end: entry.end ?? 'eof' };
  const responseId = entry.responseId ?? `resp_${seq}`;
  const events = outputEvents(entry.output, responseId);
  const end = entry.end ?? 'complete';
  if (end === 'complete') {
    const response: Record<string, unknown> = { id: responseId, object: 'response', status: 'completed', output: [] };
    if (entry.usage !== null) {
      const usage = { ...DEFAULT_MOCK_USAGE, ...entry.usage };
      response.usage = entry.usage?.total_tokens === undefined ? { ...usage, total_tokens: usage.input_tokens + usage.output_tokens } : usage;
    }
    events.push({ type: 'response.completed', response });
  }
  return { events, end };
};

const sseFrame = (event: Record<string, unknown>): string => `event: ${String(event.type)}\ndata: ${JSON.stringify(event)}\n\n`;

/** Resolves waiters when a condition over the mock's state becomes true. */
class Waiters {
  private readonly pending: { check: () => boolean; resolve: () => void }[] = [];

  until(check: () => boolean): Promise<void> {
    if (check()) return Promise.resolve();
    return new Promise((resolve) => this.pending.push({ check, resolve }));
  }

  poke(): void {
    for (let i = this.pending.length - 1; i >= 0; i--) {
      const waiter = this.pending[i]!;
      if (waiter.check()) {
        this.pending.splice(i, 1);
        waiter.resolve();
      }
    }
  }
}

/**
 * A scripted Responses API on 127.0.0.1 (port 0). Each `POST …/responses` or WebSocket
 * `response.create` takes the first unused script entry whose `when` accepts it; with none left
 * the answer is a 400 "mock: no scripted response left". `close()` it in `afterEach`.
 *
 * @example
 * const mock = await MockResponsesServer.start([{ output: [{ type: 'message', text: 'Hello' }] }]);
 * const provider = resolveModelProvider({ model_provider: 'mock', model_providers: { mock: mock.providerTable() } }, { env: {} });
 * // … run a request …
 * expect(mock.requests[0].body.model).to.equal('gpt-test');
 * await mock.close();
 */
export class MockResponsesServer {
  /** Every request so far, in arrival order. */
  readonly requests: RecordedRequest[] = [];
  /** Handshake headers of every WebSocket upgrade attempt, refused ones included. */
  readonly upgrades: IncomingHttpHeaders[] = [];
  private readonly script: { entry: MockResponse; used: boolean }[] = [];
  private readonly refusals: MockUpgradeRefusal[] = [];
  /** Sequence numbers of requests whose connection was closed by the client before the mock ended the response. */
  private readonly abandoned = new Set<number>();
  private readonly sockets = new Set<Socket>();
  private readonly waiters = new Waiters();
  private readonly wss = new WebSocketServer({ noServer: true });

  private constructor(private readonly server: Server) {}

  /** Starts a mock answering `responses` in order (more can be added with `enqueue`). */
  static async start(responses: readonly MockResponse[] = []): Promise<MockResponsesServer> {
    let mock!: MockResponsesServer;
    const server = createServer((req, res) =>
      mock.handleHttp(req, res).catch((error: unknown) => {
        // A broken script must fail the test that uses it, not the process.
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: `mock: ${String(error)}` } }));
      }),
    );
    mock = new MockResponsesServer(server);
    mock.enqueue(...responses);
    server.on('connection', (socket) => {
      mock.sockets.add(socket);
      socket.on('close', () => mock.sockets.delete(socket));
    });
    server.on('upgrade', (req, socket, head) => mock.handleUpgrade(req, socket as Socket, head));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', resolve);
    });
    return mock;
  }

  /** `http://127.0.0.1:<port>/v1`: the provider `base_url`. */
  get baseUrl(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/v1`;
  }

  /**
   * A `[model_providers.<id>]` table pointing at the mock, with no retries unless overridden.
   *
   * @example
   * resolveModelProvider({ model_provider: 'mock', model_providers: { mock: mock.providerTable({ stream_max_retries: 2 }) } }, { env: {} });
   */
  providerTable(overrides: Readonly<Record<string, unknown>> = {}): Record<string, unknown> {
    return { name: 'Mock Responses', base_url: this.baseUrl, wire_api: 'responses', request_max_retries: 0, stream_max_retries: 0, requires_openai_auth: false, ...overrides };
  }

  /** Appends script entries. */
  enqueue(...responses: readonly MockResponse[]): void {
    for (const entry of responses) this.script.push({ entry, used: false });
  }

  /** Answers the next WebSocket handshake with this status instead of upgrading. */
  refuseNextUpgrade(refusal: MockUpgradeRefusal): void {
    this.refusals.push(refusal);
  }

  /** Resolves with request number `seq` (0-based) once it has arrived. */
  async request(seq: number): Promise<RecordedRequest> {
    await this.waiters.until(() => this.requests.length > seq);
    return this.requests[seq]!;
  }

  /** Resolves once the client has closed the connection of request `seq` before the mock ended the response. */
  abandonedBy(seq: number): Promise<void> {
    return this.waiters.until(() => this.abandoned.has(seq));
  }

  /** Stops listening and destroys every connection. */
  async close(): Promise<void> {
    for (const client of this.wss.clients) client.terminate();
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private take(request: Omit<RecordedRequest, 'served'>): { entry: Exclude<MockResponse, MockComputed>; recorded: RecordedRequest } {
    const index = this.script.findIndex((s) => !s.used && (s.entry.when?.({ ...request, served: 'default' }) ?? true));
    if (index >= 0) this.script[index]!.used = true;
    const recorded: RecordedRequest = { ...request, served: index >= 0 ? index : 'default' };
    this.requests.push(recorded);
    this.waiters.poke();
    const entry = index >= 0 ? this.script[index]!.entry : NO_SCRIPT_LEFT;
    return { entry: 'respond' in entry ? entry.respond(recorded) : entry, recorded };
  }

  private markAbandoned(seq: number): void {
    this.abandoned.add(seq);
    this.waiters.poke();
  }

  private async handleHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (req.method !== 'POST' || !url.pathname.endsWith('/responses')) {
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: `mock: no route for ${req.method} ${url.pathname}` } }));
      return;
    }
    const text = Buffer.concat(chunks).toString('utf8');
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
    const { entry, recorded } = this.take({ seq: this.requests.length, transport: 'http', method: req.method, path: url.pathname, query: Object.fromEntries(url.searchParams), headers: req.headers, body });
    if (isHttpError(entry)) {
      res.writeHead(entry.status, { 'content-type': 'application/json', ...entry.headers }).end(JSON.stringify(entry.body ?? { error: { message: 'mock error' } }));
      return;
    }
    const { events, end } = plan(entry, recorded.seq);
    let ended = false;
    res.on('close', () => {
      if (!ended) this.markAbandoned(recorded.seq);
    });
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', 'x-request-id': `mock-req-${recorded.seq}`, ...entry.headers });
    res.write(events.map(sseFrame).join(''));
    if (end === 'complete' || end === 'eof') {
      ended = true;
      res.end();
    } else if (end === 'reset') {
      ended = true;
      // Let the written events reach the client before the connection breaks.
      res.socket?.end(() => res.socket?.destroy());
    }
  }

  private handleUpgrade(req: IncomingMessage, socket: Socket, head: Buffer): void {
    this.upgrades.push(req.headers);
    this.waiters.poke();
    const refusal = this.refusals.shift();
    if (refusal) {
      const body = JSON.stringify(refusal.body ?? { error: { message: 'mock: upgrade refused' } });
      socket.end(`HTTP/1.1 ${refusal.status} Refused\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.serveWebsocket(ws, req));
  }

  private serveWebsocket(ws: WebSocket, req: IncomingMessage): void {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    let inFlight: number | undefined;
    ws.on('close', () => {
      if (inFlight !== undefined) this.markAbandoned(inFlight);
    });
    ws.on('message', (data) => {
      let frame: unknown;
      try {
        frame = JSON.parse(data.toString());
      } catch {
        frame = data.toString();
      }
      const { entry, recorded } = this.take({ seq: this.requests.length, transport: 'websocket', method: 'GET', path: url.pathname, query: Object.fromEntries(url.searchParams), headers: req.headers, body: frame });
      if (isHttpError(entry)) {
        const error = (entry.body as { error?: unknown } | undefined)?.error ?? { message: 'mock error' };
        ws.send(JSON.stringify({ type: 'error', status: entry.status, error, headers: entry.headers ?? {} }));
        return;
      }
      let planned: ReturnType<typeof plan>;
      try {
        planned = plan(entry, recorded.seq);
      } catch (error) {
        // A broken script must fail the test that uses it, not the process.
        ws.send(JSON.stringify({ type: 'error', status: 500, error: { message: `mock: ${String(error)}` } }));
        return;
      }
      for (const event of planned.events) ws.send(JSON.stringify(event));
      if (planned.end === 'eof') ws.close();
      else if (planned.end === 'reset') ws.terminate();
      else if (planned.end === 'hold') inFlight = recorded.seq;
    });
  }
}

/** Tells its scheduler about every wait it is asked for. */
class ObservedAction<T> extends VirtualAction<T> {
  protected override requestAsyncId(scheduler: VirtualTimeScheduler, id?: unknown, delay: number = 0): ReturnType<VirtualAction<T>['requestAsyncId']> {
    const handle = super.requestAsyncId(scheduler, id, delay);
    (scheduler as ManualScheduler).scheduled(delay);
    return handle;
  }
}

/**
 * Virtual time for the model client's waits, to pair with the mock: a wait shorter than
 * `autoRunBelowMs` (a retry backoff, a `Retry-After`) is recorded in `waits` and run right away;
 * longer ones (idle timeouts) only run when the test calls `advance`. Retries are thus instant
 * and their delays exact, while idle timeouts fire exactly when the test says.
 *
 * @example
 * const clock = new ManualScheduler();
 * streamResponses(request, { ...options, scheduler: clock, random: () => 0.5 });
 * // after a retry: expect(clock.waits).to.deep.equal([200]);
 * clock.advance(provider.streamIdleTimeoutMs); // the idle timeout fires now
 */
export class ManualScheduler extends VirtualTimeScheduler {
  /** Every auto-run wait, in the order they were asked for. */
  readonly waits: number[] = [];

  constructor(private readonly autoRunBelowMs: number = 60_000) {
    // VirtualTimeScheduler takes its action class as the AsyncAction constructor type.
    super(ObservedAction as never);
  }

  /** Runs every wait that ends within `ms` from now, and moves the clock on by `ms`. */
  advance(ms: number): void {
    const target = this.frame + ms;
    this.maxFrames = target;
    this.flush();
    this.frame = target;
  }

  /** Called by the actions; not for tests. */
  scheduled(delay: number): void {
    if (delay >= this.autoRunBelowMs) return;
    this.waits.push(delay);
    const due = this.frame + delay;
    setImmediate(() => {
      if (this.frame < due) this.advance(due - this.frame);
      else this.advance(0);
    });
  }
}
