import { WebSocket } from 'ws';
import type { ServerProcess } from './serverProcess.js';
import { assertValidServerMessage } from './schemaValidator.js';

export type Message = Record<string, unknown> & { id?: string | number | null; method?: string };

/**
 * A test client: sends frames, records every message it receives (each one checked against the
 * protocol schema), and lets a test await the message it expects — no sleeps.
 */
export class RpcClient {
  readonly received: Message[] = [];
  private readonly waiters: Array<{ match: (m: Message) => boolean; resolve: (m: Message) => void }> = [];
  private readonly pendingMethods = new Map<string | number, string>();
  private nextId = 1;
  private closedResolve!: () => void;
  /** Resolves when the transport closes. */
  readonly closed = new Promise<void>((resolve) => (this.closedResolve = resolve));

  private constructor(private readonly write: (frame: string) => void, private readonly end: () => void) {}

  /** Speaks newline-delimited JSON over a spawned server's stdin/stdout. */
  static stdio(server: ServerProcess): RpcClient {
    const client = new RpcClient(
      (frame) => server.child.stdin.write(`${frame}\n`),
      () => server.child.stdin.end(),
    );
    let buffer = '';
    server.child.stdout.setEncoding('utf8');
    server.child.stdout.on('data', (chunk: string) => {
      buffer += chunk;
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        client.onFrame(line);
      }
    });
    server.child.stdout.once('end', () => client.closedResolve());
    return client;
  }

  /** Connects over websocket; resolves once open. */
  static async websocket(url: string, options: ConstructorParameters<typeof WebSocket>[2] = {}): Promise<RpcClient & { socket: WebSocket }> {
    const socket = new WebSocket(url, options);
    const client = new RpcClient(
      (frame) => socket.send(frame),
      () => socket.close(),
    ) as RpcClient & { socket: WebSocket };
    client.socket = socket;
    socket.on('message', (data, isBinary) => {
      if (!isBinary) client.onFrame(data.toString());
    });
    socket.once('close', () => client.closedResolve());
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    return client;
  }

  /** Sends a raw frame (a line on stdio, a text frame on websocket). */
  sendRaw(frame: string): void {
    this.write(frame);
  }

  send(message: Message): void {
    if (message.id !== undefined && message.id !== null && typeof message.method === 'string') {
      this.pendingMethods.set(message.id, message.method);
    }
    this.write(JSON.stringify(message));
  }

  /** Sends a request and resolves with its response or error message. */
  request(method: string, params?: unknown, id: string | number = this.nextId++): Promise<Message> {
    const message: Message = params === undefined ? { id, method } : { id, method, params };
    const answer = this.waitFor((m) => m.id === id && m.method === undefined && ('result' in m || 'error' in m));
    this.send(message);
    return answer;
  }

  /** `initialize` + `initialized`, returning the initialize response. */
  async initialize(capabilities: Record<string, unknown> | null = null, name = 'rxagent-spec'): Promise<Message> {
    const response = await this.request('initialize', { clientInfo: { name, title: null, version: '1.0.0' }, capabilities });
    this.send({ method: 'initialized' });
    return response;
  }

  /** Resolves with the first received message (past or future) matching `match`. */
  waitFor(match: (m: Message) => boolean): Promise<Message> {
    const seen = this.received.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve) => this.waiters.push({ match, resolve }));
  }

  close(): void {
    this.end();
  }

  private onFrame(frame: string): void {
    const message = JSON.parse(frame) as Message;
    assertValidServerMessage(message, this.pendingMethods);
    this.received.push(message);
    for (let i = this.waiters.length - 1; i >= 0; i--) {
      const waiter = this.waiters[i]!;
      if (waiter.match(message)) {
        this.waiters.splice(i, 1);
        waiter.resolve(message);
      }
    }
  }
}
