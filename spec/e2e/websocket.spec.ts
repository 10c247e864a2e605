import { expect } from 'chai';
import type { Socket } from 'node:net';
import { WebSocket } from 'ws';
import { RpcClient, type Message } from '../support/rpcClient.js';
import { ServerProcess } from '../support/serverProcess.js';

const startWs = async (extraArgs: readonly string[] = [], env: NodeJS.ProcessEnv = {}): Promise<{ server: ServerProcess; url: string }> => {
  const server = ServerProcess.start(['app-server', '--listen', 'ws://127.0.0.1:0', ...extraArgs], { env });
  const [, url] = await server.waitForStderr(/listening on: (ws:\/\/127\.0\.0\.1:\d+)/);
  return { server, url: url! };
};

const ECHO = { experimentalApi: true };

describe('app-server over websocket', () => {
  it('serves the handshake and keeps initialization per connection', async () => {
    const { url } = await startWs();
    const a = await RpcClient.websocket(url);
    const b = await RpcClient.websocket(url);
    expect((await a.initialize()).result).to.have.property('userAgent');
    const early = await b.request('mock/experimentalMethod', {});
    expect((early.error as { code: number }).code).to.equal(-32002);
    a.close();
    b.close();
  });

  it('uses the same request id on two connections without mixing them up', async () => {
    const { url } = await startWs();
    const a = await RpcClient.websocket(url);
    const b = await RpcClient.websocket(url);
    await a.initialize(ECHO);
    await b.initialize(ECHO);
    const [ra, rb] = await Promise.all([
      a.request('mock/experimentalMethod', { value: 'A' }, 7),
      b.request('mock/experimentalMethod', { value: 'B' }, 7),
    ]);
    expect(ra.result).to.deep.equal({ echoed: 'A' });
    expect(rb.result).to.deep.equal({ echoed: 'B' });
  });

  it('ignores binary frames and answers the next text frame', async () => {
    const { url } = await startWs();
    const client = await RpcClient.websocket(url);
    client.socket.send(Buffer.from('{"id":1,"method":"initialize"}'), { binary: true });
    const answer = await client.initialize();
    expect(answer.id).to.equal(1);
  });

  it('answers a ping with a pong carrying the same payload', async () => {
    const { url } = await startWs();
    const client = await RpcClient.websocket(url);
    const pong = new Promise<Buffer>((resolve) => client.socket.once('pong', resolve));
    client.socket.ping(Buffer.from('hello'));
    expect((await pong).toString()).to.equal('hello');
  });

  it('accepts a client that offers permessage-deflate, without compression', async () => {
    const { url } = await startWs();
    const client = await RpcClient.websocket(url, { perMessageDeflate: true });
    expect(client.socket.extensions).to.equal('');
    expect((await client.initialize()).result).to.have.property('userAgent');
  });

  it('keeps answering others when a client disconnects mid-request', async () => {
    const { url, server } = await startWs();
    const quitter = await RpcClient.websocket(url);
    await quitter.initialize(ECHO);
    for (let i = 0; i < 20; i++) quitter.send({ id: i, method: 'mock/experimentalMethod', params: { value: 'x'.repeat(10_000) } });
    quitter.socket.terminate();
    const other = await RpcClient.websocket(url);
    await other.initialize(ECHO);
    expect((await other.request('mock/experimentalMethod', { value: '1' })).result).to.deep.equal({ echoed: '1' });
    expect(server.child.exitCode).to.equal(null);
  });

  it('answers every client while one client never reads, and drops the stalled one', async function () {
    const { url, server } = await startWs([], { RXAGENT_WS_STALL_TIMEOUT_MS: '300' });
    // The silent client stops reading its socket, then asks for far more than TCP buffers hold.
    const silent = new WebSocket(url);
    await new Promise((resolve) => silent.once('open', resolve));
    silent.send(JSON.stringify({ id: 0, method: 'initialize', params: { clientInfo: { name: 'silent', version: '1' }, capabilities: ECHO } }));
    ((silent as unknown as { _socket: Socket })._socket).pause();
    const big = 'y'.repeat(64 * 1024);
    for (let i = 1; i <= 400; i++) silent.send(JSON.stringify({ id: i, method: 'mock/experimentalMethod', params: { value: big } }));

    const clients = await Promise.all([1, 2, 3].map(() => RpcClient.websocket(url)));
    await Promise.all(clients.map((c) => c.initialize(ECHO)));
    const answers = await Promise.all(
      clients.flatMap((c, n) =>
        Array.from({ length: 12 }, (_, i) => c.request('mock/experimentalMethod', { value: `${n}-${i}` })),
      ),
    );
    expect(answers).to.have.length(36);
    answers.forEach((a: Message) => expect(a).to.have.property('result'));

    // The silent client reads nothing, not even the close frame: the server's log tells.
    await server.waitForStderr(/closed: outbound queue full \(.*\); the client is not reading/);
    silent.terminate();
    expect((await clients[0]!.request('mock/experimentalMethod', { value: 'after' })).result).to.deep.equal({ echoed: 'after' });
  });

  it('refuses to listen on a non-loopback address without a token', async () => {
    const server = ServerProcess.start(['app-server', '--listen', 'ws://0.0.0.0:0']);
    const exit = await server.exited;
    expect(exit.code).to.equal(1);
    expect(server.stderr).to.contain('--ws-token');
  });

  it('requires the bearer token when one is set', async () => {
    const { url } = await startWs(['--ws-token', 's3cret']);
    const refused = new WebSocket(url);
    const status = await new Promise<number>((resolve) => refused.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0)));
    expect(status).to.equal(401);
    const allowed = await RpcClient.websocket(url, { headers: { Authorization: 'Bearer s3cret' } });
    expect((await allowed.initialize()).result).to.have.property('userAgent');
  });

  it('rejects a hostname in --listen as the reference does', async () => {
    const server = ServerProcess.start(['app-server', '--listen', 'ws://localhost:1234']);
    expect((await server.exited).code).to.equal(1);
    expect(server.stderr).to.contain('invalid websocket --listen URL `ws://localhost:1234`; expected `ws://IP:PORT`');
  });
});

describe('overload', () => {
  it('answers every request exactly once, with -32001 while the stdio client is not reading', async () => {
    const server = ServerProcess.start(['app-server']);
    const client = RpcClient.stdio(server);
    await client.initialize(ECHO);
    server.child.stdout.pause();
    const big = 'z'.repeat(16 * 1024);
    const total = 600;
    for (let i = 0; i < total; i++) client.send({ id: `r${i}`, method: 'mock/experimentalMethod', params: { value: big } });
    // Once this write is flushed into the 64 KiB pipe, the server has read all but the last few
    // requests, each answered on read: its queue is saturated by then.
    const done = client.request('mock/experimentalMethod', { value: 'done' }, 'marker');
    await new Promise<void>((resolve) => server.child.stdin.write('\n', () => resolve()));
    server.child.stdout.resume();
    await done;
    const answers = client.received.filter((m) => typeof m.id === 'string' && m.id.startsWith('r'));
    expect(new Set(answers.map((m) => m.id)).size).to.equal(total);
    const overloaded = answers.filter((m) => (m.error as { code?: number } | undefined)?.code === -32001);
    expect(overloaded.length).to.be.greaterThan(0);
    expect(overloaded[0]!.error).to.deep.equal({ code: -32001, message: 'Server overloaded; retry later.', data: { kind: 'overloaded' } });
    expect(answers.length - overloaded.length).to.be.greaterThan(100);
  });
});
