import { expect } from 'chai';
import { get, type IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { firstValueFrom, ReplaySubject, type Subscription } from 'rxjs';
import { elementAt, filter } from 'rxjs/operators';
import WebSocket from 'ws';
import type { Connection } from '../../../lib/transport/connection.js';
import { isLoopbackHost, listenWebSocket, type WebSocketListener, type WebSocketListenOptions } from '../../../lib/transport/websocket.js';

interface Served {
  readonly connection: Connection;
  readonly inbound: ReplaySubject<string>;
}

describe('websocket transport', () => {
  let listeners: WebSocketListener[];
  let clients: WebSocket[];
  let subscriptions: Subscription[];
  let logs: string[];

  beforeEach(() => {
    listeners = [];
    clients = [];
    subscriptions = [];
    logs = [];
  });
  afterEach(async () => {
    for (const client of clients) client.terminate();
    for (const subscription of subscriptions) subscription.unsubscribe();
    await Promise.all(listeners.map((listener) => listener.close()));
  });

  /** Listens on 127.0.0.1:0 and serves every connection: its inbound messages are recorded. */
  const listen = async (options: Partial<WebSocketListenOptions> = {}) => {
    const listener = await listenWebSocket({ port: 0, log: (line) => logs.push(line), ...options });
    listeners.push(listener);
    const served = new ReplaySubject<Served>();
    subscriptions.push(
      listener.connections$.subscribe((connection) => {
        const inbound = new ReplaySubject<string>();
        subscriptions.push(connection.inbound$.subscribe(inbound));
        served.next({ connection, inbound });
      }),
    );
    return { listener, served: (index: number) => firstValueFrom(served.pipe(elementAt(index))) };
  };

  /** Opens a client; resolves when open, rejects with the HTTP status when the upgrade is refused. */
  const connect = (url: string, options: WebSocket.ClientOptions = {}): Promise<WebSocket> =>
    new Promise((resolve, reject) => {
      const client = new WebSocket(url, options);
      clients.push(client);
      client.once('open', () => resolve(client));
      client.once('unexpected-response', (_request, response: IncomingMessage) => reject(new Error(`HTTP ${response.statusCode}`)));
      client.once('error', reject);
    });

  const nextMessage = (client: WebSocket): Promise<{ text: string; isBinary: boolean }> =>
    new Promise((resolve) => client.once('message', (data: Buffer, isBinary: boolean) => resolve({ text: data.toString(), isBinary })));

  const closeOf = (client: WebSocket): Promise<{ code: number; reason: string }> =>
    new Promise((resolve) => client.once('close', (code: number, reason: Buffer) => resolve({ code, reason: reason.toString() })));

  const socketOf = (client: WebSocket): Socket => (client as unknown as { _socket: Socket })._socket;

  describe('framing', () => {
    it('binds 127.0.0.1 by default and numbers connections from 1', async () => {
      const { listener, served } = await listen();
      expect(listener.address).to.equal(`ws://127.0.0.1:${listener.port}`);
      await connect(listener.address);
      await connect(listener.address);
      const [first, second] = [(await served(0)).connection, (await served(1)).connection];
      expect([first.id, first.kind, second.id]).to.deep.equal([1, 'websocket', 2]);
    });

    it('round-trips text frames: one message each, sent back without a trailing newline', async () => {
      const { listener, served } = await listen();
      const client = await connect(listener.address);
      const { connection, inbound } = await served(0);
      subscriptions.push(inbound.subscribe((text) => connection.send(text)));
      const echoed = nextMessage(client);
      client.send('{"id":1,"method":"initialize","params":{}}');
      expect(await echoed).to.deep.equal({ text: '{"id":1,"method":"initialize","params":{}}', isBinary: false });
    });

    it('drops binary frames with a warning and keeps the connection', async () => {
      const { listener, served } = await listen();
      const client = await connect(listener.address);
      const { connection, inbound } = await served(0);
      client.send(Buffer.from('{"id":1}'), { binary: true });
      client.send('{"id":2}');
      expect(await firstValueFrom(inbound)).to.equal('{"id":2}');
      expect(logs.join('\n')).to.match(/binary frame of 8 bytes dropped/);
      expect(connection.closeReason).to.equal(undefined);
    });

    it('answers a ping with a pong carrying the same payload', async () => {
      const { listener, served } = await listen();
      const client = await connect(listener.address);
      await served(0);
      const pong = new Promise<string>((resolve) => client.once('pong', (data: Buffer) => resolve(data.toString())));
      client.ping('are you there');
      expect(await pong).to.equal('are you there');
    });

    it('accepts a client that offers permessage-deflate, without compression', async () => {
      const { listener, served } = await listen();
      const offered = new Promise<string | undefined>((resolve) =>
        listener.httpServer.once('upgrade', (request: IncomingMessage) => resolve(request.headers['sec-websocket-extensions'])),
      );
      const client = await connect(listener.address, { perMessageDeflate: { threshold: 0 } });
      expect(await offered).to.match(/permessage-deflate/);
      expect(client.extensions).to.equal('');
      const { connection } = await served(0);
      const message = nextMessage(client);
      connection.send('{"method":"x"}');
      expect((await message).text).to.equal('{"method":"x"}');
    });

    it('closes a connection that sends a frame over maxPayload with 1009', async () => {
      const { listener, served } = await listen({ maxPayload: 1024 });
      const client = await connect(listener.address);
      const { connection } = await served(0);
      const closed = closeOf(client);
      client.send('x'.repeat(2048));
      expect((await closed).code).to.equal(1009);
      await firstValueFrom(connection.closed$);
    });

    it('answers plain HTTP with 426, or with the injected request handler', async () => {
      const status = (url: string) => new Promise<number | undefined>((resolve, reject) => get(url, (res) => (res.resume(), resolve(res.statusCode))).on('error', reject));
      const plain = await listen();
      expect(await status(plain.listener.address.replace('ws:', 'http:'))).to.equal(426);
      const custom = await listen({ requestHandler: (_req, res) => res.writeHead(200).end('client') });
      expect(await status(custom.listener.address.replace('ws:', 'http:'))).to.equal(200);
    });
  });

  describe('access', () => {
    it('refuses to start on a non-loopback address without a token', async () => {
      for (const host of ['0.0.0.0', '::', '192.168.1.10']) {
        let error: unknown;
        await listenWebSocket({ host, port: 0 }).then((l) => listeners.push(l), (e: unknown) => (error = e));
        expect(String(error)).to.match(/refusing to listen on ws:\/\/.* without a token.*--ws-token/);
      }
      expect(listeners).to.have.length(0);
    });

    it('tells loopback addresses apart', () => {
      for (const host of ['127.0.0.1', '127.1.2.3', '::1', '[::1]', 'localhost', '::ffff:127.0.0.1']) expect(isLoopbackHost(host), host).to.equal(true);
      for (const host of ['0.0.0.0', '::', '10.0.0.1', '::ffff:10.0.0.1', 'example.com']) expect(isLoopbackHost(host), host).to.equal(false);
    });

    it('with a token, answers 401 to an upgrade without the right Bearer header', async () => {
      const { listener, served } = await listen({ token: 's3cret' });
      let connections = 0;
      subscriptions.push(listener.connections$.subscribe(() => connections++));
      const refused = async (options: WebSocket.ClientOptions) => connect(listener.address, options).then(() => 'open', (e: Error) => e.message);
      expect(await refused({})).to.equal('HTTP 401');
      expect(await refused({ headers: { Authorization: 'Bearer wrong' } })).to.equal('HTTP 401');
      expect(await refused({ headers: { Authorization: 's3cret' } })).to.equal('HTTP 401');
      expect(connections).to.equal(0);
      await connect(listener.address, { headers: { Authorization: 'Bearer s3cret' } });
      expect((await served(0)).connection.id).to.equal(1);
      expect(logs.join('\n')).to.match(/refused: missing or wrong bearer token/);
    });

    it('listens on a non-loopback address when given a token', async () => {
      const { listener } = await listen({ host: '0.0.0.0', token: 's3cret' });
      expect(listener.address).to.equal(`ws://0.0.0.0:${listener.port}`);
      await connect(`ws://127.0.0.1:${listener.port}`, { headers: { Authorization: 'bearer s3cret' } });
    });

    it('answers 403 to a browser from another origin, and accepts its own origin and allowed ones', async () => {
      const { listener } = await listen({ allowedOrigins: ['vscode-webview://abc'] });
      const outcome = (origin: string) => connect(listener.address, { origin }).then(() => 'open', (e: Error) => e.message);
      expect(await outcome('https://evil.example')).to.equal('HTTP 403');
      expect(await outcome(`http://127.0.0.1:${listener.port}`)).to.equal('open');
      expect(await outcome(`http://localhost:${listener.port}`)).to.equal('open');
      expect(await outcome('vscode-webview://abc')).to.equal('open');
    });
  });

  describe('a client that stops reading', () => {
    const big = JSON.stringify({ method: 'item/agentMessage/delta', params: { delta: 'x'.repeat(256 * 1024) } });
    /**
     * Sends 256 KiB messages until the queue saturates (or gives up): how many fit in the kernel's
     * socket buffers depends on the machine, so the count adapts; 400 (100 MiB) bounds it.
     */
    const flood = (connection: Connection, until: () => boolean = () => connection.saturated): void => {
      for (let i = 0; i < 400 && !until(); i++) connection.send(big);
      expect(until(), 'the queue filled up').to.equal(true);
    };

    it('is disconnected after the stall timeout while another client keeps getting its messages', async () => {
      const { listener, served } = await listen({ stallTimeoutMs: 200, closeGraceMs: 200, capacity: 8, highWaterMarkBytes: 64 * 1024 });
      const stuck = await connect(listener.address);
      const healthy = await connect(listener.address);
      const [a, b] = [(await served(0)).connection, (await served(1)).connection];
      socketOf(stuck).pause();

      const saturated = firstValueFrom(a.saturated$.pipe(filter(Boolean)));
      flood(a);
      await saturated;
      const saturatedAt = performance.now();
      const aClosed = firstValueFrom(a.closed$);

      // While the stuck client's queue is full, the other one is served at once, both ways.
      subscriptions.push((await served(1)).inbound.subscribe((text) => b.send(`{"echo":${text}}`)));
      for (let i = 0; i < 5; i++) {
        const reply = nextMessage(healthy);
        healthy.send(String(i));
        expect((await reply).text).to.equal(`{"echo":${i}}`);
        if (i === 0) expect(a.saturated, 'the stuck client is still saturated').to.equal(true);
        expect(b.saturated).to.equal(false);
      }

      await aClosed;
      expect(performance.now() - saturatedAt).to.be.at.least(190);
      expect(a.closeReason).to.equal('outbound queue full');
      expect(logs.join('\n')).to.match(/connection 1 closed: outbound queue full \(saturated for 200 ms\)/);
      a.send('{"ignored":true}');

      const after = nextMessage(healthy);
      b.send('{"still":"here"}');
      expect((await after).text).to.equal('{"still":"here"}');
      expect(b.closeReason).to.equal(undefined);
    });

    it('receives close code 1008 "outbound queue full" if it reads again within the grace period', async () => {
      const { listener, served } = await listen({ stallTimeoutMs: 200, closeGraceMs: 15_000, capacity: 8, highWaterMarkBytes: 64 * 1024 });
      const stuck = await connect(listener.address);
      const { connection } = await served(0);
      socketOf(stuck).pause();
      const gaveUp = new Promise<void>((resolve) => connection.saturated$.subscribe({ complete: resolve }));
      flood(connection);
      await gaveUp;
      expect(connection.closeReason).to.equal('outbound queue full');
      const closed = closeOf(stuck);
      socketOf(stuck).resume();
      expect(await closed).to.deep.equal({ code: 1008, reason: 'outbound queue full' });
      await firstValueFrom(connection.closed$);
    });

    it('is disconnected at once when the overflow is exhausted', async () => {
      const { listener, served } = await listen({ stallTimeoutMs: 60_000, closeGraceMs: 100, capacity: 2, overflow: 3, highWaterMarkBytes: 64 * 1024 });
      const stuck = await connect(listener.address);
      const { connection } = await served(0);
      socketOf(stuck).pause();
      flood(connection, () => connection.closeReason !== undefined);
      expect(connection.closeReason).to.equal('outbound queue full');
      await firstValueFrom(connection.closed$);
      expect(logs.join('\n')).to.match(/outbound queue full \(5 messages waiting\)/);
    });
  });

  describe('close', () => {
    it('flushes what was sent and closes with 1000 and the reason', async () => {
      const { listener, served } = await listen();
      const client = await connect(listener.address);
      const { connection, inbound } = await served(0);
      const received: string[] = [];
      client.on('message', (data: Buffer) => received.push(data.toString()));
      const closed = closeOf(client);
      connection.send('{"id":1}');
      connection.send('{"id":2}');
      connection.close('bye');
      expect(await closed).to.deep.equal({ code: 1000, reason: 'bye' });
      expect(received).to.deep.equal(['{"id":1}', '{"id":2}']);
      await firstValueFrom(connection.closed$);
      await new Promise<void>((resolve) => inbound.subscribe({ complete: resolve }));
    });

    it('completes inbound$ and emits closed$ when the peer closes', async () => {
      const { listener, served } = await listen();
      const client = await connect(listener.address);
      const { connection, inbound } = await served(0);
      client.close(1000, 'done');
      await firstValueFrom(connection.closed$);
      await new Promise<void>((resolve) => inbound.subscribe({ complete: resolve }));
      expect(connection.closeReason).to.equal('peer closed (1000 done)');
    });

    it('closing the listener closes every connection with 1001 and releases the port', async () => {
      const { listener } = await listen();
      const client = await connect(listener.address);
      const closed = closeOf(client);
      await listener.close();
      expect((await closed).code).to.equal(1001);
      expect(listener.httpServer.listening).to.equal(false);
    });

    it('closes with 1013 a connection that arrives while nobody listens to connections$', async () => {
      const listener = await listenWebSocket({ port: 0, log: (line) => logs.push(line) });
      listeners.push(listener);
      const client = await connect(listener.address);
      expect((await closeOf(client)).code).to.equal(1013);
    });
  });
});
