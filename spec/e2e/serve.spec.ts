import { expect } from 'chai';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { RpcClient } from '../support/rpcClient.js';
import { ServerProcess } from '../support/serverProcess.js';

// `rxagent serve`: the app-server on a websocket plus the browser client over HTTP on the same
// port, and the offline default (the `replay` provider) when no credentials are configured.

const BANNER = 'rxagent: no credentials configured — using the offline "replay" demo model';

interface Served {
  readonly server: ServerProcess;
  readonly url: string;
  readonly http: string;
  /** Resolves with stdout once it holds a full line matching `pattern`. */
  readonly stdoutLine: (pattern: RegExp) => Promise<string>;
}

const serve = async (args: readonly string[] = [], options: { env?: NodeJS.ProcessEnv; codexHome?: string } = {}): Promise<Served> => {
  const server = ServerProcess.start(['serve', '--listen', 'ws://127.0.0.1:0', ...args], options);
  let stdout = '';
  const waiters: Array<() => void> = [];
  server.child.stdout.setEncoding('utf8');
  server.child.stdout.on('data', (chunk: string) => {
    stdout += chunk;
    waiters.splice(0).forEach((wake) => wake());
  });
  const stdoutLine = async (pattern: RegExp): Promise<string> => {
    for (;;) {
      const line = stdout.split('\n').find((l) => pattern.test(l));
      if (line !== undefined) return line;
      await new Promise<void>((resolve) => waiters.push(resolve));
    }
  };
  const [, url] = await server.waitForStderr(/listening on: (ws:\/\/127\.0\.0\.1:\d+)/);
  return { server, url: url!, http: url!.replace('ws://', 'http://'), stdoutLine };
};

interface HttpAnswer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** One HTTP request with the path sent exactly as given (no normalisation, no keep-alive). */
const get = (base: string, path: string, method = 'GET'): Promise<HttpAnswer> =>
  new Promise((resolve, reject) => {
    const { hostname, port } = new URL(base);
    const req = httpRequest({ hostname, port, path, method, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });

/** The HTTP status a websocket upgrade with this `Origin` gets (101 when it opens). */
const upgradeStatus = (url: string, origin: string): Promise<number> =>
  new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { origin });
    socket.once('open', () => {
      socket.close();
      resolve(101);
    });
    socket.once('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      res.resume();
    });
    socket.once('error', (err) => {
      if (!/Unexpected server response/.test(err.message)) reject(err);
    });
  });

type Model = { id: string; displayName: string; isDefault: boolean };

const dirs: string[] = [];
const tempDir = (prefix: string): string => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
};

describe('rxagent serve', () => {
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('without credentials: prints the banner and the URL, lists the replay model first, starts threads on the replay provider', async () => {
    const { server, url, http, stdoutLine } = await serve();
    expect(server.stderr).to.contain(BANNER);
    expect(await stdoutLine(/^rxagent serve: open /)).to.equal(`rxagent serve: open ${http}/`);
    const client = await RpcClient.websocket(url);
    await client.initialize();
    const models = ((await client.request('model/list', {})).result as { data: Model[] }).data;
    expect(models[0]).to.deep.include({ id: 'replay-demo', displayName: 'Offline demo (replay)', isDefault: true });
    expect(models.map((m) => m.id)).to.include('gpt-5.2-codex');
    const started = (await client.request('thread/start', { cwd: tempDir('rxagent-serve-cwd-') })).result as { model: string; modelProvider: string; thread: { modelProvider: string } };
    expect(started).to.deep.include({ model: 'replay-demo', modelProvider: 'replay' });
    expect(started.thread.modelProvider).to.equal('replay');
    client.close();
  });

  it('with OPENAI_API_KEY set (a dummy), the default provider is openai again, with no banner and no replay model listed', async () => {
    const { server, url } = await serve([], { env: { OPENAI_API_KEY: 'sk-dummy-not-used' } });
    const client = await RpcClient.websocket(url);
    await client.initialize();
    const started = (await client.request('thread/start', { cwd: tempDir('rxagent-serve-cwd-') })).result as { model: string; modelProvider: string };
    expect(started).to.deep.include({ model: 'gpt-5.2-codex', modelProvider: 'openai' });
    const models = ((await client.request('model/list', {})).result as { data: Model[] }).data;
    expect(models.map((m) => m.id)).to.not.include('replay-demo');
    expect(server.stderr).to.not.contain(BANNER);
    client.close();
  });

  it('a stored login or a configured model_provider also keeps the offline default away', async () => {
    for (const [file, text, provider] of [
      ['auth.json', JSON.stringify({ auth_mode: 'apikey', OPENAI_API_KEY: 'sk-stored-dummy' }), 'openai'],
      ['config.toml', 'model_provider = "ollama"\n', 'ollama'],
    ] as const) {
      const codexHome = tempDir('rxagent-serve-home-');
      writeFileSync(join(codexHome, file), text);
      const { server, url } = await serve([], { codexHome });
      const client = await RpcClient.websocket(url);
      await client.initialize();
      const started = (await client.request('thread/start', { cwd: tempDir('rxagent-serve-cwd-') })).result as { modelProvider: string };
      expect(started.modelProvider, file).to.equal(provider);
      expect(server.stderr).to.not.contain(BANNER);
      client.close();
      await server.stop();
    }
  });

  it('serves the client files by path with their content types, and nothing outside the folder', async () => {
    const base = tempDir('rxagent-serve-web-');
    const web = join(base, 'web');
    mkdirSync(join(web, 'assets'), { recursive: true });
    writeFileSync(join(web, 'index.html'), '<!doctype html><title>client</title>');
    writeFileSync(join(web, 'assets', 'app.js'), 'console.log("app")');
    writeFileSync(join(web, 'assets', 'app.css'), 'body{}');
    writeFileSync(join(web, 'logo.svg'), '<svg/>');
    writeFileSync(join(web, '.env'), 'SECRET=1');
    writeFileSync(join(base, 'secret.txt'), 'outside');
    symlinkSync(join(base, 'secret.txt'), join(web, 'link.txt'));
    const { http } = await serve(['--web-root', web]);

    const index = await get(http, '/');
    expect(index).to.deep.include({ status: 200, body: '<!doctype html><title>client</title>' });
    expect(index.headers['content-type']).to.equal('text/html; charset=utf-8');
    expect((await get(http, '/index.html')).body).to.equal(index.body);
    const js = await get(http, '/assets/app.js?v=1');
    expect(js).to.deep.include({ status: 200, body: 'console.log("app")' });
    expect(js.headers['content-type']).to.equal('text/javascript; charset=utf-8');
    expect(js.headers['content-length']).to.equal(String('console.log("app")'.length));
    expect((await get(http, '/assets/app.css')).headers['content-type']).to.equal('text/css; charset=utf-8');
    expect((await get(http, '/logo.svg')).headers['content-type']).to.equal('image/svg+xml');
    const head = await get(http, '/assets/app.js', 'HEAD');
    expect(head).to.deep.include({ status: 200, body: '' });
    expect(head.headers['content-length']).to.equal(String('console.log("app")'.length));

    for (const path of ['/missing.js', '/assets/', '/../secret.txt', '/assets/../../secret.txt', '/%2e%2e/secret.txt', '/..%2fsecret.txt', '/link.txt', '/.env', '/%00', '/assets%5c..%5c..%5csecret.txt']) {
      const answer = await get(http, path);
      expect(answer.status, path).to.equal(404);
      expect(answer.body, path).to.not.contain('outside');
    }
    expect((await get(http, '/%E0%A4%A')).status).to.equal(400);
    const post = await get(http, '/', 'POST');
    expect(post.status).to.equal(405);
    expect(post.headers.allow).to.equal('GET, HEAD');
  });

  it('says the client was not built when the folder has no index.html', async () => {
    const web = tempDir('rxagent-serve-empty-');
    const { http } = await serve(['--web-root', join(web, 'missing')]);
    const page = await get(http, '/');
    expect(page.status).to.equal(200);
    expect(page.headers['content-type']).to.equal('text/html; charset=utf-8');
    expect(page.body).to.contain('The browser client was not built').and.contain('npm run build');
    expect((await get(http, '/app.js')).status).to.equal(404);
  });

  it('serves an HTML page at / from the installation’s dist/web by default (the client, or the not-built page)', async () => {
    const { http } = await serve();
    const page = await get(http, '/');
    expect(page.status).to.equal(200);
    expect(page.headers['content-type']).to.equal('text/html; charset=utf-8');
    expect(page.body).to.match(/<html/i);
  });

  it('lets the page’s own origin (and --allow-origin ones) open the websocket, not other sites', async () => {
    const { url, http } = await serve(['--allow-origin', 'http://localhost:5173']);
    expect(await upgradeStatus(url, http)).to.equal(101);
    expect(await upgradeStatus(url, http.replace('127.0.0.1', 'localhost'))).to.equal(101);
    expect(await upgradeStatus(url, 'http://localhost:5173')).to.equal(101);
    expect(await upgradeStatus(url, 'http://evil.example')).to.equal(403);
  });

  it('requires the --ws-token bearer token on the websocket when given', async () => {
    const { url } = await serve(['--ws-token', 'sesame']);
    await RpcClient.websocket(url).then(
      () => expect.fail('expected the upgrade to be refused'),
      (err: Error) => expect(err.message).to.contain('401'),
    );
    const client = await RpcClient.websocket(url, { headers: { Authorization: 'Bearer sesame' } });
    expect((await client.initialize()).result).to.have.property('userAgent');
    client.close();
  });

  it('applies -c overrides as app-server does', async () => {
    const { url } = await serve(['-c', 'approval_policy="never"', '-c', 'model="replay-demo"']);
    const client = await RpcClient.websocket(url);
    await client.initialize();
    const started = (await client.request('thread/start', { cwd: tempDir('rxagent-serve-cwd-') })).result as { approvalPolicy: string; model: string };
    expect(started).to.deep.include({ approvalPolicy: 'never', model: 'replay-demo' });
    client.close();
  });
});
