import { expect } from 'chai';
import { RpcClient, type Message } from '../support/rpcClient.js';
import { ServerProcess } from '../support/serverProcess.js';

const errorOf = (m: Message): { code: number; message: string; data: { kind: string } } =>
  m.error as { code: number; message: string; data: { kind: string } };

const initialized = async (capabilities: Record<string, unknown> | null = null): Promise<{ server: ServerProcess; client: RpcClient }> => {
  const server = ServerProcess.start(['app-server']);
  const client = RpcClient.stdio(server);
  await client.initialize(capabilities);
  return { server, client };
};

describe('JSON-RPC errors (stdio)', () => {
  it('answers a line that is not JSON with -32700 and id null, then serves the next request', async () => {
    const { client } = await initialized();
    client.sendRaw('{not json');
    const parseError = await client.waitFor((m) => m.id === null);
    expect(errorOf(parseError)).to.include({ code: -32700 });
    expect(errorOf(parseError).data.kind).to.equal('parseError');
    const next = await client.request('mock/experimentalMethod', {});
    expect(errorOf(next).data.kind).to.equal('experimentalApiRequired');
  });

  it('answers JSON that is no JSON-RPC message with -32600 and id null', async () => {
    const { client } = await initialized();
    client.sendRaw('[1,2,3]');
    const answer = await client.waitFor((m) => m.id === null);
    expect(errorOf(answer)).to.include({ code: -32600 });
    expect(errorOf(answer).data.kind).to.equal('invalidRequest');
  });

  it('refuses a request whose id is a float', async () => {
    const { client } = await initialized();
    client.sendRaw('{"id":1.5,"method":"thread/list","params":{}}');
    const answer = await client.waitFor((m) => m.id === null);
    expect(errorOf(answer).message).to.equal('Invalid request: id must be a string or an integer');
  });

  it('echoes string and integer ids verbatim', async () => {
    const { client } = await initialized();
    const byString = await client.request('nope/nothing', {}, 'abc');
    const byInt = await client.request('nope/nothing', {}, 42);
    expect(byString.id).to.equal('abc');
    expect(byInt.id).to.equal(42);
  });

  it('answers an unknown method with -32601 naming it', async () => {
    const { client } = await initialized();
    const answer = await client.request('thread/lsit', {});
    expect(errorOf(answer)).to.deep.equal({ code: -32601, message: 'Method not found: `thread/lsit`', data: { kind: 'methodNotFound' } });
  });

  it('answers an unknown method with -32601 even before initialize', async () => {
    const server = ServerProcess.start(['app-server']);
    const client = RpcClient.stdio(server);
    const answer = await client.request('foo/bar', {});
    expect(errorOf(answer).code).to.equal(-32601);
  });

  it('says when a reference method is one rxagent does not implement', async () => {
    const { client } = await initialized();
    const answer = await client.request('newConversation', {});
    expect(errorOf(answer)).to.deep.equal({
      code: -32601,
      message: 'Method not found: rxagent does not implement `newConversation`',
      data: { kind: 'methodNotImplemented' },
    });
  });

  it('answers bad params with -32602 and the JSON path of the bad field', async () => {
    const { client } = await initialized();
    const answer = await client.request('thread/read', { threadId: 7 });
    expect(errorOf(answer).code).to.equal(-32602);
    expect(errorOf(answer).data.kind).to.equal('invalidParams');
    expect(errorOf(answer).message).to.contain('params.threadId');
  });

  it('answers a nested bad field with its full path', async () => {
    const { client } = await initialized();
    const answer = await client.request('turn/start', { threadId: 't', input: [{ type: 'text', text: 3 }] });
    expect(errorOf(answer).code).to.equal(-32602);
    expect(errorOf(answer).message).to.contain('params.input[0]');
  });

  it('requires params where the method declares them, and accepts their absence where it does not', async () => {
    const { client } = await initialized();
    const missing = await client.request('thread/list');
    expect(errorOf(missing).code).to.equal(-32602);
    expect(errorOf(missing).message).to.contain('params');
    // A method without params: absent, null or {} (as the reference takes it), not anything else.
    for (const params of [undefined, null, {}]) {
      expect((await client.request('configRequirements/read', params)).result, JSON.stringify(params)).to.deep.equal({ requirements: null });
    }
    expect(errorOf(await client.request('configRequirements/read', { x: 1 })).code).to.equal(-32602);
  });

  it('answers a request before initialize with bad params with -32602 (decode comes first, as the reference)', async () => {
    const server = ServerProcess.start(['app-server']);
    const client = RpcClient.stdio(server);
    const answer = await client.request('thread/read', {});
    expect(errorOf(answer).code).to.equal(-32602);
  });

  it('ignores responses to unknown server requests and keeps serving', async () => {
    const { client, server } = await initialized();
    client.send({ id: 999, result: {} });
    client.send({ id: 998, error: { code: 1, message: 'x' } });
    const answer = await client.request('foo/bar', {});
    expect(errorOf(answer).code).to.equal(-32601);
    expect(server.stderr).to.contain('answer to an unknown server request');
  });

  it('writes nothing but protocol messages to stdout, even with debug logging', async () => {
    const { client } = await initialized();
    client.sendRaw('garbage');
    await client.request('foo/bar', {});
    // RpcClient parses and schema-checks every stdout line; reaching here means all were protocol messages.
    expect(client.received.length).to.be.greaterThan(2);
  });
});

describe('experimental API gating', () => {
  it('refuses an experimental method without the capability', async () => {
    const { client } = await initialized({ experimentalApi: false });
    const answer = await client.request('mock/experimentalMethod', { value: '1' });
    expect(errorOf(answer)).to.deep.equal({
      code: -32600,
      message: 'mock/experimentalMethod requires experimentalApi capability',
      data: { kind: 'experimentalApiRequired' },
    });
  });

  it('serves an experimental method with the capability', async () => {
    const { client } = await initialized({ experimentalApi: true });
    const answer = await client.request('mock/experimentalMethod', { value: 'a[1]' });
    expect(answer.result).to.deep.equal({ echoed: 'a[1]' });
  });

  it('refuses an experimental field without the capability, naming method.field', async () => {
    const { client } = await initialized();
    const answer = await client.request('thread/start', { dynamicTools: [{ name: 'x', description: 'd', inputSchema: {} }] });
    expect(errorOf(answer).message).to.equal('thread/start.dynamicTools requires experimentalApi capability');
    expect(errorOf(answer).data.kind).to.equal('experimentalApiRequired');
  });

  it('lets an empty or false experimental field through the gate', async () => {
    const { client } = await initialized();
    const answer = await client.request('thread/start', { dynamicTools: [], experimentalRawEvents: false });
    expect(errorOf(answer)?.data.kind).to.not.equal('experimentalApiRequired');
  });

  it('gates an experimental union variant', async () => {
    const { client } = await initialized();
    const answer = await client.request('account/login/start', { type: 'chatgptAuthTokens', accessToken: 'a', chatgptAccountId: 'b' });
    expect(errorOf(answer).message).to.equal('account/login/start.chatgptAuthTokens requires experimentalApi capability');
  });

  it('passes the field gate with the capability', async () => {
    const { client } = await initialized({ experimentalApi: true });
    const answer = await client.request('thread/start', { mockExperimentalField: 'on' });
    expect(errorOf(answer)?.data.kind).to.not.equal('experimentalApiRequired');
  });
});
