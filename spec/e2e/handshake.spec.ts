import { expect } from 'chai';
import { RpcClient } from '../support/rpcClient.js';
import { ServerProcess } from '../support/serverProcess.js';
import { VERSION } from '../../lib/version.js';

const startStdio = (env: NodeJS.ProcessEnv = {}): { server: ServerProcess; client: RpcClient } => {
  const server = ServerProcess.start(['app-server'], { env });
  return { server, client: RpcClient.stdio(server) };
};

describe('initialize / initialized (stdio)', () => {
  it('answers initialize with a user agent built from the client info', async () => {
    const { client } = startStdio({ TERM: 'xterm' });
    const response = await client.initialize(null, 'my_ide');
    const userAgent = (response.result as { userAgent: string }).userAgent;
    expect(userAgent).to.match(new RegExp(`^my_ide/${VERSION.replace(/\./g, '\\.')} \\([^;()]+; [a-z0-9_]+\\) xterm \\(my_ide; 1\\.0\\.0\\)$`));
  });

  it('refuses requests before initialize with -32002 Not initialized', async () => {
    const { client } = startStdio();
    const answer = await client.request('model/list', {});
    expect(answer.error).to.deep.equal({ code: -32002, message: 'Not initialized', data: { kind: 'notInitialized' } });
  });

  it('refuses a second initialize on the same connection', async () => {
    const { client } = startStdio();
    await client.initialize();
    const answer = await client.request('initialize', { clientInfo: { name: 'again', version: '1' }, capabilities: null });
    expect(answer.error).to.deep.equal({ code: -32600, message: 'Already initialized', data: { kind: 'alreadyInitialized' } });
  });

  it('takes the originator from the env override over the client name', async () => {
    const { client } = startStdio({ CODEX_INTERNAL_ORIGINATOR_OVERRIDE: 'my_override' });
    const response = await client.initialize(null, 'my_ide');
    expect((response.result as { userAgent: string }).userAgent).to.match(/^my_override\/.* \(my_ide; 1\.0\.0\)$/);
  });

  it('rejects a client name that is not a valid HTTP header value and stays uninitialized', async () => {
    const { client } = startStdio();
    const answer = await client.request('initialize', { clientInfo: { name: 'bad\nname', version: '1' } });
    expect(answer.error).to.include({ code: -32600 });
    expect((answer.error as { message: string }).message).to.equal("Invalid clientInfo.name: 'bad\nname'. Must be a valid HTTP header value.");
    const retry = await client.initialize(null, 'good');
    expect(retry.result).to.have.property('userAgent');
  });

  it('accepts pipelined requests right after initialize, in order', async () => {
    const { client } = startStdio();
    client.send({ id: 1, method: 'initialize', params: { clientInfo: { name: 'pipe', version: '1' } } });
    client.send({ method: 'initialized' });
    const echo = client.request('mock/experimentalMethod', { value: 'x' }, 2);
    const answer = await echo;
    expect(answer.error).to.include({ code: -32600 });
    expect((answer.error as { data: { kind: string } }).data.kind).to.equal('experimentalApiRequired');
  });

  it('exits cleanly when stdin closes', async () => {
    const { server, client } = startStdio();
    await client.initialize();
    client.close();
    const exit = await server.exited;
    expect(exit).to.deep.equal({ code: 0, signal: null });
  });

  it('answers requests read before stdin closed, then exits', async () => {
    const { server, client } = startStdio();
    client.send({ id: 1, method: 'initialize', params: { clientInfo: { name: 'eof', version: '1' } } });
    client.close();
    const answer = await client.waitFor((m) => m.id === 1);
    expect(answer).to.have.property('result');
    expect((await server.exited).code).to.equal(0);
  });
});
