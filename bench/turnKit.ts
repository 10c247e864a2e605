import { execFileSync, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WebSocket } from 'ws';

/**
 * Shared pieces of the benchmarks that run turns or read rollouts through a real server process:
 * a mock Responses API that answers every request with one pre-rendered SSE stream, a CODEX_HOME
 * configured for it, the server process (rxagent's bundled CLI or `BENCH_SERVER`), its CPU time
 * and peak RSS from /proc, and a JSON-RPC client over stdio or websocket that counts delta
 * notifications without parsing them.
 */

const CLI = fileURLToPath(new URL('../bundle/cli.js', import.meta.url));

/** `rxagent` or the `BENCH_SERVER` command line. */
export const serverName = (): string => process.env.BENCH_SERVER ?? 'rxagent';

// ---------------------------------------------------------------------------------------------
// Mock model

/** One SSE frame, as the Responses API sends it. */
const sseFrame = (event: Record<string, unknown>): string => `event: ${String(event.type)}\ndata: ${JSON.stringify(event)}\n\n`;

/**
 * The SSE body of a response whose only output is an assistant message streamed as `chunks`
 * (one `response.output_text.delta` each), in the order the harness mock and the real API use.
 */
export const messageStream = (chunks: readonly string[], options: { id?: string; responseId?: string } = {}): string => {
  const id = options.id ?? 'msg_bench';
  const responseId = options.responseId ?? 'resp_bench';
  const text = chunks.join('');
  const frames: string[] = [
    sseFrame({ type: 'response.created', response: { id: responseId, object: 'response', status: 'in_progress', output: [] } }),
    sseFrame({ type: 'response.in_progress', response: { id: responseId, object: 'response', status: 'in_progress', output: [] } }),
    sseFrame({ type: 'response.output_item.added', output_index: 0, item: { type: 'message', id, role: 'assistant', status: 'in_progress', content: [] } }),
    sseFrame({ type: 'response.content_part.added', item_id: id, output_index: 0, content_index: 0, part: { type: 'output_text', text: '', annotations: [] } }),
  ];
  for (const delta of chunks) frames.push(sseFrame({ type: 'response.output_text.delta', item_id: id, output_index: 0, content_index: 0, delta }));
  frames.push(sseFrame({ type: 'response.output_text.done', item_id: id, output_index: 0, content_index: 0, text }));
  frames.push(sseFrame({ type: 'response.content_part.done', item_id: id, output_index: 0, content_index: 0, part: { type: 'output_text', text, annotations: [] } }));
  frames.push(
    sseFrame({
      type: 'response.output_item.done',
      output_index: 0,
      item: { type: 'message', id, role: 'assistant', status: 'completed', content: [{ type: 'output_text', text, annotations: [] }] },
    }),
  );
  const usage = { input_tokens: 100, input_tokens_details: { cached_tokens: 0 }, output_tokens: 10, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: 110 };
  frames.push(sseFrame({ type: 'response.completed', response: { id: responseId, object: 'response', status: 'completed', output: [], usage } }));
  return frames.join('');
};

/**
 * A Responses API on 127.0.0.1 that answers every `POST …/responses` with the same
 * pre-rendered stream, written at once (so any number of concurrent turns can be served and the
 * mock costs one `write` per request); anything else gets a 404. Unlike
 * `spec/support/mockResponses.ts`, which serves each scripted entry once, this one never runs out.
 */
export class StreamMock {
  /** POST /responses requests answered so far. */
  requests = 0;
  /** The stream cut at each occurrence of the response id, which is made unique per request. */
  private parts: readonly string[] = [''];
  private responseId = '';
  private readonly sockets = new Set<Socket>();

  private constructor(private readonly server: Server) {}

  static async start(): Promise<StreamMock> {
    let mock!: StreamMock;
    const server = createServer((req, res) => {
      const body: Buffer[] = [];
      req.on('data', (chunk: Buffer) => body.push(chunk));
      req.on('end', () => {
        if (req.method !== 'POST' || !(req.url ?? '').split('?')[0]!.endsWith('/responses')) {
          res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"message":"bench mock: no such route"}}');
          return;
        }
        const seq = ++mock.requests;
        // Read the request like a real endpoint (and the harness mock) does.
        try {
          if (req.headers['content-encoding'] === undefined) JSON.parse(Buffer.concat(body).toString('utf8'));
        } catch {
          // not JSON: answered all the same
        }
        res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-request-id': `bench-${seq}` });
        res.end(mock.parts.join(`${mock.responseId}_${seq}`));
      });
    });
    mock = new StreamMock(server);
    server.on('connection', (socket) => {
      mock.sockets.add(socket);
      socket.on('close', () => mock.sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', resolve);
    });
    return mock;
  }

  /** The stream every later request gets (from `messageStream`), its `responseId` made unique per request. */
  respondWith(sse: string, responseId = 'resp_bench'): void {
    this.parts = sse.split(responseId);
    this.responseId = responseId;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/v1`;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

// ---------------------------------------------------------------------------------------------
// CODEX_HOME and server process

/** A throwaway CODEX_HOME (configured for the mock at `baseUrl`) and a project folder. */
export interface BenchDirs {
  readonly home: string;
  readonly cwd: string;
  remove(): void;
}

/** The harness's config (shared/harness/README.md): provider `mock`, no retries, no OpenAI auth. */
export const benchDirs = (baseUrl: string): BenchDirs => {
  const root = mkdtempSync(join(tmpdir(), 'rxagent-bench-'));
  const home = join(root, 'codex_home');
  const cwd = join(root, 'work');
  mkdirSync(home);
  mkdirSync(cwd);
  writeFileSync(
    join(home, 'config.toml'),
    [
      'model = "mock-model"',
      'model_provider = "mock"',
      'approval_policy = "never"',
      'sandbox_mode = "read-only"',
      '',
      '[model_providers.mock]',
      'name = "Mock Responses"',
      `base_url = "${baseUrl}"`,
      'wire_api = "responses"',
      'request_max_retries = 0',
      'stream_max_retries = 0',
      'requires_openai_auth = false',
      '',
    ].join('\n'),
  );
  return { home, cwd: realpathSync(cwd), remove: () => rmSync(root, { recursive: true, force: true }) };
};

const CLK_TCK = ((): number => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** Every live process, as pid → parent pid. */
const processTable = (): Map<number, number> => {
  const table = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      table.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // exited meanwhile
    }
  }
  return table;
};

/** `pid` and all its descendants. */
export const processTree = (pid: number): number[] => {
  const table = processTable();
  const tree = [pid];
  for (let i = 0; i < tree.length; i++) for (const [child, parent] of table) if (parent === tree[i]) tree.push(child);
  return tree;
};

/** utime + stime + cutime + cstime of `pid`, in ms (0 once it has exited). */
const cpuOf = (pid: number): number => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Fields 14–17 of proc(5), counted from 1 with pid and comm as 1 and 2.
    return ((Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])) * 1000) / CLK_TCK;
  } catch {
    return 0;
  }
};

/** CPU time (user + system, ms) of a process tree: the server and whatever it runs. */
export const treeCpuMs = (pid: number): number => processTree(pid).reduce((sum, p) => sum + cpuOf(p), 0);

/** A `VmXxx` field of /proc/<pid>/status in kB (0 once the process has exited). */
export const vmKb = (pid: number, field: 'VmHWM' | 'VmRSS'): number => {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
};

export interface Launched {
  readonly child: ChildProcessWithoutNullStreams;
  /** Everything the server wrote on stderr so far. */
  stderr(): string;
  /**
   * The process that does the work: the spawned one, or, when it is a launcher with a single
   * child (the reference's `codex` is a Node script that spawns the native binary with inherited
   * stdio), that child. Ask once the server has answered `initialize`.
   */
  workerPid(): number;
  stop(): Promise<void>;
}

/** Starts `rxagent app-server ARGS` (or `BENCH_SERVER` ARGS) on `home`. */
export const launch = (home: string, args: readonly string[] = []): Launched => {
  const [command, ...prefix] = process.env.BENCH_SERVER?.split(' ').filter(Boolean) ?? [process.execPath, CLI, 'app-server'];
  const child = spawn(command!, [...prefix, ...args], {
    env: { PATH: process.env.PATH, HOME: home, CODEX_HOME: home, RXAGENT_LOG: 'warn' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    if (err.length < 100_000) err += chunk;
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let worker: number | undefined;
  return {
    child,
    stderr: () => err,
    workerPid: () => {
      if (worker !== undefined) return worker;
      let pid = child.pid!;
      const table = processTable();
      for (;;) {
        const children = [...table].filter(([, parent]) => parent === pid).map(([p]) => p);
        if (children.length !== 1 || process.env.BENCH_SERVER === undefined) break;
        pid = children[0]!;
      }
      return (worker = pid);
    },
    // stdin EOF ends a stdio server (and lets `node --cpu-prof` write its profile); a websocket
    // server gets SIGTERM after a grace period, and the whole tree SIGKILL after another.
    stop: async () => {
      child.stdin.end();
      const exitedWithin = (ms: number): Promise<boolean> =>
        Promise.race([exited.then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), ms).unref())]);
      if (child.exitCode !== null || (await exitedWithin(args.includes('--listen') ? 0 : 2000))) return;
      const tree = processTree(child.pid!);
      child.kill('SIGTERM');
      if (await exitedWithin(3000)) return;
      for (const pid of tree.reverse()) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // gone
        }
      }
      await exited;
    },
  };
};

/** Resolves with the websocket URL once the server printed `listening on: ws://…`. */
export const listeningUrl = (server: Launched, timeoutMs = 15_000): Promise<string> =>
  new Promise((resolve, reject) => {
    const check = (): boolean => {
      const match = /listening on: (ws:\/\/\S+)/.exec(server.stderr());
      if (match) resolve(match[1]!);
      return match !== null;
    };
    if (check()) return;
    const timer = setTimeout(() => reject(new Error(`no "listening on" after ${timeoutMs} ms: ${server.stderr().slice(0, 500)}`)), timeoutMs);
    server.child.stderr.on('data', () => {
      if (check()) clearTimeout(timer);
    });
  });

// ---------------------------------------------------------------------------------------------
// Client

export interface Message {
  readonly id?: number | string;
  readonly method?: string;
  readonly params?: any;
  readonly result?: any;
  readonly error?: any;
}

/** Notification methods the client counts without parsing (model-delta fan-out). */
const DELTA_METHODS = ['item/agentMessage/delta', 'item/plan/delta'] as const;
const DELTA_MARKERS = DELTA_METHODS.map((m) => `"method":"${m}"`);
const RAW_MARKER = '"method":"codex/event/';

/**
 * A JSON-RPC client of one connection. Delta notifications and the raw `codex/event/*` twins are
 * recognized by a substring of their first 80 characters and only counted (with the time of the
 * first and last delta), so the client's cost stays far below the server's; everything else is
 * parsed and handed to `onMessage` and the request/notification waiters.
 */
export class RpcClient {
  deltas = 0;
  rawEvents = 0;
  /** `codex/event/*` notifications by method. */
  readonly rawByMethod = new Map<string, number>();
  firstDeltaAt = 0;
  lastDeltaAt = 0;
  /** JSON-RPC errors and `error` notifications seen. */
  readonly errors: Message[] = [];
  onMessage: (message: Message) => void = () => undefined;
  private nextId = 1;
  private readonly pending = new Map<number | string, (message: Message) => void>();
  /** When each answer's last byte arrived (before it was parsed), by request id. */
  readonly answeredAt = new Map<number | string, number>();
  private readonly startedThreads = new Set<string>();
  private readonly completedTurns = new Map<string, { message: Message; at: number }>();
  private readonly turnWaiters = new Map<string, (done: { message: Message; at: number }) => void>();
  private readonly waiters: { match: (m: Message) => boolean; resolve: (m: Message) => void }[] = [];

  private constructor(
    private readonly sendFrame: (frame: string) => void,
    readonly close: () => void,
  ) {}

  static stdio(server: Launched): RpcClient {
    const client = new RpcClient(
      (frame) => void server.child.stdin.write(`${frame}\n`),
      () => server.child.stdin.end(),
    );
    // Only the new chunk is searched for the end of the line: answers can be many megabytes.
    let parts: string[] = [];
    server.child.stdout.setEncoding('utf8');
    server.child.stdout.on('data', (chunk: string) => {
      let start = 0;
      let nl: number;
      while ((nl = chunk.indexOf('\n', start)) >= 0) {
        const piece = chunk.slice(start, nl);
        const line = parts.length > 0 ? parts.join('') + piece : piece;
        parts = [];
        if (line.length > 0) client.handle(line);
        start = nl + 1;
      }
      if (start < chunk.length) parts.push(chunk.slice(start));
    });
    return client;
  }

  /** Connects without offering permessage-deflate (the reference drops clients that offer it). */
  static async websocket(url: string): Promise<RpcClient> {
    const socket = new WebSocket(url, { perMessageDeflate: false });
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    const client = new RpcClient(
      (frame) => socket.send(frame),
      () => socket.close(),
    );
    socket.on('message', (data) => client.handle(data.toString()));
    return client;
  }

  private handle(line: string): void {
    const arrivedAt = performance.now();
    const head = line.length > 80 ? line.slice(0, 80) : line;
    const raw = head.indexOf(RAW_MARKER);
    if (raw >= 0) {
      this.rawEvents++;
      const from = raw + RAW_MARKER.length;
      const method = `codex/event/${head.slice(from, head.indexOf('"', from))}`;
      this.rawByMethod.set(method, (this.rawByMethod.get(method) ?? 0) + 1);
      return;
    }
    if (head.includes(DELTA_MARKERS[0]!) || head.includes(DELTA_MARKERS[1]!)) {
      this.countDelta();
      return;
    }
    const message = JSON.parse(line) as Message;
    if (message.method !== undefined && (DELTA_METHODS as readonly string[]).includes(message.method)) {
      this.countDelta();
      return;
    }
    if (message.method?.startsWith('codex/event/')) {
      this.rawEvents++;
      return;
    }
    if (message.error !== undefined || message.method === 'error') this.errors.push(message);
    if (message.method === 'thread/started') this.startedThreads.add(message.params.thread.id);
    if (message.method === 'turn/completed') {
      const turnId = message.params.turn.id as string;
      const waiter = this.turnWaiters.get(turnId);
      if (waiter) {
        this.turnWaiters.delete(turnId);
        waiter({ message, at: performance.now() });
      } else this.completedTurns.set(turnId, { message, at: performance.now() });
    }
    if (message.method === undefined && message.id !== undefined) {
      const resolve = this.pending.get(message.id);
      this.pending.delete(message.id);
      this.answeredAt.set(message.id, arrivedAt);
      resolve?.(message);
    }
    this.onMessage(message);
    for (let i = 0; i < this.waiters.length; i++) {
      if (this.waiters[i]!.match(message)) this.waiters.splice(i--, 1)[0]!.resolve(message);
    }
  }

  private countDelta(): void {
    const now = performance.now();
    if (this.deltas === 0) this.firstDeltaAt = now;
    this.lastDeltaAt = now;
    this.deltas++;
  }

  /** Forgets the delta counters (before a measured turn). */
  resetCounters(): void {
    this.deltas = 0;
    this.rawEvents = 0;
    this.rawByMethod.clear();
    this.firstDeltaAt = 0;
    this.lastDeltaAt = 0;
  }

  send(message: Message): void {
    this.sendFrame(JSON.stringify(message));
  }

  /** Sends a request; resolves with the whole answer (`result` or `error`). */
  request(method: string, params: unknown): Promise<Message> {
    const id = this.nextId++;
    const answered = new Promise<Message>((resolve) => this.pending.set(id, resolve));
    this.send({ id, method, params } as Message);
    return answered;
  }

  /**
   * Sends a request and resolves with the answer and the milliseconds from sending it to the
   * arrival of the answer's last byte (the client's parsing of a large answer is not counted).
   */
  async timedRequest(method: string, params: unknown): Promise<{ message: Message; ms: number }> {
    const id = this.nextId;
    const sentAt = performance.now();
    const message = await this.request(method, params);
    const ms = this.answeredAt.get(id)! - sentAt;
    this.answeredAt.delete(id);
    return { message, ms };
  }

  /** Like `request`, but rejects on an error answer. */
  async call<T = any>(method: string, params: unknown): Promise<T> {
    const answer = await this.request(method, params);
    if (answer.error !== undefined) throw new Error(`${method} failed: ${JSON.stringify(answer.error)}`);
    return answer.result as T;
  }

  /** Resolves with the next message (from now on) that `match` accepts; rejects after `timeoutMs`. */
  next(match: (m: Message) => boolean, timeoutMs = 60_000): Promise<Message> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const at = this.waiters.indexOf(waiter);
        if (at >= 0) this.waiters.splice(at, 1);
        reject(new Error(`timed out after ${timeoutMs} ms`));
      }, timeoutMs);
      timer.unref();
      const waiter = {
        match,
        resolve: (m: Message) => {
          clearTimeout(timer);
          resolve(m);
        },
      };
      this.waiters.push(waiter);
    });
  }

  /** Resolves with `turn/completed` of `turnId` (already received or to come) and when it arrived. */
  turnCompleted(turnId: string, timeoutMs = 120_000): Promise<{ message: Message; at: number }> {
    const done = this.completedTurns.get(turnId);
    if (done) {
      this.completedTurns.delete(turnId);
      return Promise.resolve(done);
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.turnWaiters.delete(turnId);
        reject(new Error(`turn ${turnId}: no turn/completed after ${timeoutMs} ms`));
      }, timeoutMs);
      this.turnWaiters.set(turnId, (value) => {
        clearTimeout(timer);
        resolve(value);
      });
    });
  }

  async initialize(capabilities: object | null = null): Promise<void> {
    await this.call('initialize', { clientInfo: { name: 'bench', title: null, version: '1' }, capabilities });
    this.send({ method: 'initialized' });
  }

  /** `thread/start` in `cwd`; resolves with the thread id once its `thread/started` arrived (a broadcast: other threads' come too). */
  async startThread(cwd: string): Promise<string> {
    const result = await this.call<{ thread: { id: string } }>('thread/start', { cwd });
    const threadId = result.thread.id;
    if (!this.startedThreads.has(threadId)) await this.next((m) => m.method === 'thread/started' && m.params.thread.id === threadId);
    return threadId;
  }
}

/** Sends `turn/start` and waits for that turn's `turn/completed`; times are `performance.now()`. */
export const runTurn = async (
  client: RpcClient,
  threadId: string,
  text: string,
  extra: Record<string, unknown> = {},
  timeoutMs = 120_000,
): Promise<{ turnId: string; completed: Message; startedAt: number; completedAt: number }> => {
  const startedAt = performance.now();
  const answer = await client.call<{ turn: { id: string } }>('turn/start', { threadId, input: [{ type: 'text', text, text_elements: [] }], ...extra });
  const { message, at } = await client.turnCompleted(answer.turn.id, timeoutMs);
  return { turnId: answer.turn.id, completed: message, startedAt, completedAt: at };
};
