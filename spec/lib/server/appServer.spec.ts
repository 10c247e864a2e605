import { expect } from 'chai';
import { firstValueFrom, ReplaySubject, Subject } from 'rxjs';
import { clientMethods, referenceOnlyMethods } from '../../../lib/protocol/registry.js';
import { ThreadLoadedListParams, ThreadLoadedListResponse } from '../../../lib/protocol/v2/threadMethods.js';
import { AppServer } from '../../../lib/server/appServer.js';
import { handle, type MethodHandler } from '../../../lib/server/handler.js';
import { ProcessIdentity } from '../../../lib/server/identity.js';
import { realWorld } from '../../../lib/threads/world.js';
import { initialize } from '../../../lib/server/methods/initialize.js';
import type { Connection, OversizedMessage } from '../../../lib/transport/connection.js';

/** An in-memory connection: the test pushes frames in and reads what the server sent. */
class FakeConnection implements Connection {
  readonly kind = 'websocket' as const;
  readonly inboundSubject = new Subject<string>();
  readonly inbound$ = this.inboundSubject.asObservable();
  readonly oversized$ = new Subject<OversizedMessage>();
  readonly closedSubject = new ReplaySubject<void>(1);
  readonly closed$ = this.closedSubject.asObservable();
  readonly saturated$ = new Subject<boolean>();
  saturated = false;
  closeReason: string | undefined;
  readonly sent: Array<Record<string, unknown>> = [];

  constructor(readonly id: number) {}

  send(message: string): void {
    this.sent.push(JSON.parse(message) as Record<string, unknown>);
  }

  close(reason = 'closed'): void {
    this.closeReason = reason;
    this.closedSubject.next();
    this.closedSubject.complete();
  }

  push(message: object): void {
    this.inboundSubject.next(JSON.stringify(message));
  }
}

const pending: Array<(value: { data: string[]; nextCursor: null }) => void> = [];
/** A handler that answers only when the test says so, to hold requests in flight. */
const slow: MethodHandler = handle('thread/loaded/list', ThreadLoadedListParams, ThreadLoadedListResponse, () =>
  new Promise((resolve) => pending.push(resolve)),
);

const makeServer = async (handlers: readonly MethodHandler[], maxInflight = 2): Promise<AppServer> => {
  const server = new AppServer({
    codexHome: '/nonexistent',
    env: {},
    cliOverrides: [],
    identity: new ProcessIdentity({}),
    world: realWorld,
    initialize,
    loadMethods: async () => ({ clientMethods, referenceOnlyMethods, handlers: [initialize, ...handlers] }),
    maxInflight,
  });
  await server.methodsReady();
  return server;
};

const init = (connection: FakeConnection): void =>
  connection.push({ id: 'init', method: 'initialize', params: { clientInfo: { name: 't', version: '1' }, capabilities: { experimentalApi: true } } });

const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('AppServer', () => {
  afterEach(() => {
    pending.splice(0).forEach((resolve) => resolve({ data: [], nextCursor: null }));
  });

  it('answers -32001 at once when the in-flight limit is reached, and serves again once requests finish', async () => {
    const server = await makeServer([slow], 2);
    const connection = new FakeConnection(1);
    server.attach(connection);
    init(connection);
    connection.push({ id: 1, method: 'thread/loaded/list', params: {} });
    connection.push({ id: 2, method: 'thread/loaded/list', params: {} });
    connection.push({ id: 3, method: 'thread/loaded/list', params: {} });
    expect(connection.sent.find((m) => m.id === 3)).to.deep.equal({
      error: { code: -32001, message: 'Server overloaded; retry later.', data: { kind: 'overloaded' } },
      id: 3,
    });
    pending.shift()!({ data: ['a'], nextCursor: null });
    await flush();
    expect(connection.sent.find((m) => m.id === 1)).to.deep.equal({ id: 1, result: { data: ['a'], nextCursor: null } });
    connection.push({ id: 4, method: 'thread/loaded/list', params: {} });
    expect(connection.sent.find((m) => m.id === 4)).to.equal(undefined);
    expect(pending).to.have.length(2);
  });

  it('settles answers to server requests while requests are at the limit', async () => {
    const server = await makeServer([slow], 1);
    const connection = new FakeConnection(1);
    const session = server.attach(connection);
    init(connection);
    connection.push({ id: 1, method: 'thread/loaded/list', params: {} });
    const answer = firstValueFrom(server.serverRequests.request([session], 'item/tool/call', { x: 1 }));
    const request = connection.sent.find((m) => m.method === 'item/tool/call')!;
    connection.push({ id: request.id as number, result: { success: true, contentItems: [] } });
    expect(await answer).to.deep.equal({ success: true, contentItems: [] });
  });

  it('fails a server request once every client that could answer it has disconnected', async () => {
    const server = await makeServer([]);
    const connection = new FakeConnection(1);
    const session = server.attach(connection);
    init(connection);
    const answer = firstValueFrom(server.serverRequests.request([session], 'item/tool/call', { x: 1 }));
    connection.close('gone');
    let failure: unknown;
    await answer.catch((err: unknown) => (failure = err));
    expect((failure as Error).message).to.equal('every client that could answer item/tool/call disconnected');
    expect(server.serverRequests.size).to.equal(0);
  });

  it('rejects new requests while the connection is saturated', async () => {
    const server = await makeServer([slow]);
    const connection = new FakeConnection(1);
    server.attach(connection);
    init(connection);
    connection.saturated = true;
    connection.push({ id: 9, method: 'thread/loaded/list', params: {} });
    expect((connection.sent.at(-1)!.error as { code: number }).code).to.equal(-32001);
  });

  it('writes the response before the notifications its handler caused', async () => {
    const notifying = handle('thread/loaded/list', ThreadLoadedListParams, ThreadLoadedListResponse, (_params, ctx) => {
      ctx.afterResponse(() => ctx.server.broadcast('thread/name/updated', { threadId: 't', threadName: 'n' }));
      return { data: [], nextCursor: null };
    });
    const server = await makeServer([notifying]);
    const connection = new FakeConnection(1);
    server.attach(connection);
    init(connection);
    connection.push({ id: 1, method: 'thread/loaded/list', params: {} });
    expect(connection.sent.slice(-2)).to.deep.equal([
      { id: 1, result: { data: [], nextCursor: null } },
      { method: 'thread/name/updated', params: { threadId: 't', threadName: 'n' } },
    ]);
  });

  it('answers an unexpected handler failure with -32603 and no stack trace', async () => {
    const failing = handle('thread/loaded/list', ThreadLoadedListParams, ThreadLoadedListResponse, () => {
      throw new Error('disk on fire');
    });
    const server = await makeServer([failing]);
    const connection = new FakeConnection(1);
    server.attach(connection);
    init(connection);
    const stderrWrite = process.stderr.write;
    process.stderr.write = () => true;
    try {
      connection.push({ id: 1, method: 'thread/loaded/list', params: {} });
    } finally {
      process.stderr.write = stderrWrite;
    }
    const error = connection.sent.at(-1)!.error as { code: number; message: string; data: { kind: string } };
    expect(error).to.deep.equal({ code: -32603, message: 'thread/loaded/list failed: disk on fire', data: { kind: 'internalError' } });
    expect(error.message).to.not.contain(' at ');
  });

  it('broadcasts only to initialized connections that did not opt out', async () => {
    const server = await makeServer([]);
    const [a, b, c] = [new FakeConnection(1), new FakeConnection(2), new FakeConnection(3)];
    [a, b, c].forEach((x) => server.attach(x));
    init(a);
    c.push({
      id: 'init',
      method: 'initialize',
      params: { clientInfo: { name: 't', version: '1' }, capabilities: { optOutNotificationMethods: ['thread/name/updated'] } },
    });
    server.broadcast('thread/name/updated', { threadId: 't', threadName: 'n' });
    expect(a.sent.at(-1)).to.deep.equal({ method: 'thread/name/updated', params: { threadId: 't', threadName: 'n' } });
    expect(b.sent).to.deep.equal([]);
    expect(c.sent.map((m) => m.id)).to.deep.equal(['init']);
  });

  it('queues requests that arrive before the method table has loaded, in order', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const server = new AppServer({
      codexHome: '/nonexistent',
      env: {},
      cliOverrides: [],
      identity: new ProcessIdentity({}),
    world: realWorld,
      initialize,
      loadMethods: async () => {
        await gate;
        return { clientMethods, referenceOnlyMethods, handlers: [initialize] };
      },
    });
    const connection = new FakeConnection(1);
    server.attach(connection);
    init(connection);
    expect(connection.sent.map((m) => m.id)).to.deep.equal(['init']);
    connection.push({ id: 1, method: 'nope/a', params: {} });
    connection.push({ id: 2, method: 'newConversation', params: {} });
    const ready = server.methodsReady();
    release();
    await ready;
    await flush();
    expect(connection.sent.map((m) => [m.id, (m.error as { data: { kind: string } } | undefined)?.data.kind])).to.deep.equal([
      ['init', undefined],
      [1, 'methodNotFound'],
      [2, 'methodNotImplemented'],
    ]);
  });

  it('refuses a handler whose codecs are not the registry codecs for its method', async () => {
    const wrong = handle('thread/read', ThreadLoadedListParams, ThreadLoadedListResponse, () => ({ data: [], nextCursor: null }));
    let failure: unknown;
    await makeServer([wrong]).catch((err: unknown) => (failure = err));
    expect((failure as Error).message).to.equal("handler for thread/read does not match the registry's codecs");
  });
});
