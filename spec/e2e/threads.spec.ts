import { expect } from 'chai';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RpcClient, type Message } from '../support/rpcClient.js';
import { ServerProcess } from '../support/serverProcess.js';

const FIXTURES = fileURLToPath(new URL('../../../../shared/fixtures/reference-0.101.0/', import.meta.url));
const BASIC_ID = '01a20f8b-589e-7c73-817f-6fc54a0872dd';

type Thread = { id: string; path: string | null; preview: string; turns: Array<{ id: string; items: Array<{ type: string }> }> };
const resultOf = <T>(m: Message): T => {
  if (!('result' in m)) throw new Error(`expected a result, got ${JSON.stringify(m)}`);
  return m.result as T;
};
const errorOf = (m: Message) => m.error as { code: number; message: string; data: { kind: string } };

/** A CODEX_HOME holding the reference's turn-basic rollout, and a project folder. */
const homeWithFixture = (): { codexHome: string; cwd: string } => {
  const codexHome = mkdtempSync(join(tmpdir(), 'rxagent-threads-'));
  cpSync(join(FIXTURES, 'turn-basic', 'codex_home', 'sessions'), join(codexHome, 'sessions'), { recursive: true });
  writeFileSync(join(codexHome, 'config.toml'), 'model = "mock-model"\nmodel_provider = "mock"\napproval_policy = "never"\n');
  const cwd = mkdtempSync(join(tmpdir(), 'rxagent-cwd-'));
  return { codexHome, cwd };
};

const start = async (): Promise<{ server: ServerProcess; client: RpcClient; codexHome: string; cwd: string }> => {
  const { codexHome, cwd } = homeWithFixture();
  const server = ServerProcess.start(['app-server'], { codexHome });
  const client = RpcClient.stdio(server);
  await client.initialize();
  return { server, client, codexHome, cwd };
};

const rolloutFiles = (dir: string): string[] =>
  existsSync(dir) ? readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name)) : [];

describe('thread lifecycle (stdio)', () => {
  it('thread/start answers, then broadcasts thread/started; the rollout waits for the first user message', async () => {
    const { client, codexHome, cwd } = await start();
    const response = await client.request('thread/start', { cwd });
    const result = resultOf<{ thread: Thread; model: string; modelProvider: string; approvalPolicy: string; sandbox: object }>(response);
    expect(result).to.include({ model: 'mock-model', modelProvider: 'mock', approvalPolicy: 'never' });
    expect(result.sandbox).to.deep.equal({ type: 'readOnly', access: { type: 'fullAccess' } });
    expect(result.thread.path).to.match(new RegExp(`^${codexHome}/sessions/\\d{4}/\\d{2}/\\d{2}/rollout-[\\dT-]+-${result.thread.id}\\.jsonl$`));
    const started = await client.waitFor((m) => m.method === 'thread/started');
    expect(client.received.indexOf(started)).to.be.greaterThan(client.received.indexOf(response));
    expect(existsSync(result.thread.path!)).to.equal(false);
    const read = await client.request('thread/read', { threadId: result.thread.id, includeTurns: true });
    expect(errorOf(read).data.kind).to.equal('threadNotMaterialized');
    const loaded = await client.request('thread/loaded/list', {});
    expect(resultOf<{ data: string[] }>(loaded).data).to.include(result.thread.id);
  });

  it('an ephemeral thread has no rollout path', async () => {
    const { client, cwd } = await start();
    const result = resultOf<{ thread: Thread }>(await client.request('thread/start', { cwd, ephemeral: true }));
    expect(result.thread.path).to.equal(null);
    const rename = await client.request('thread/name/set', { threadId: result.thread.id, name: 'x' });
    expect(errorOf(rename).data.kind).to.equal('ephemeralThread');
  });

  it('thread/read rebuilds the turns of a rollout the reference wrote, without loading it', async () => {
    const { client } = await start();
    const thread = resultOf<{ thread: Thread }>(await client.request('thread/read', { threadId: BASIC_ID, includeTurns: true })).thread;
    expect(thread.preview).to.equal('Say hello');
    expect(thread.turns).to.have.length(1);
    expect(thread.turns[0]!.items).to.deep.equal([
      { type: 'userMessage', id: 'item-1', content: [{ type: 'text', text: 'Say hello', text_elements: [] }] },
      { type: 'agentMessage', id: 'item-2', text: 'Hello there! This is a streamed reply.' },
    ]);
    const loaded = resultOf<{ data: string[] }>(await client.request('thread/loaded/list', {}));
    expect(loaded.data).to.deep.equal([]);
  });

  it('thread/resume loads the thread from its file; rollback persists a marker and drops the turn', async () => {
    const { client, codexHome } = await start();
    const resumed = resultOf<{ thread: Thread; model: string }>(await client.request('thread/resume', { threadId: BASIC_ID }));
    expect(resumed.thread.turns).to.have.length(1);
    expect(resumed.model).to.equal('mock-model');
    expect(resultOf<{ data: string[] }>(await client.request('thread/loaded/list', {})).data).to.deep.equal([BASIC_ID]);
    const zero = await client.request('thread/rollback', { threadId: BASIC_ID, numTurns: 0 });
    expect(errorOf(zero).message).to.equal('numTurns must be >= 1');
    const rolled = resultOf<{ thread: Thread }>(await client.request('thread/rollback', { threadId: BASIC_ID, numTurns: 1 }));
    expect(rolled.thread.turns).to.deep.equal([]);
    const [file] = rolloutFiles(join(codexHome, 'sessions'));
    const last = JSON.parse(readFileSync(file!, 'utf8').trim().split('\n').at(-1)!) as { type: string; payload: object };
    expect(last.type).to.equal('event_msg');
    expect(last.payload).to.deep.equal({ type: 'thread_rolled_back', num_turns: 1 });
    const reread = resultOf<{ thread: Thread }>(await client.request('thread/read', { threadId: BASIC_ID, includeTurns: true }));
    expect(reread.thread.turns).to.deep.equal([]);
  });

  it('thread/fork copies the source into a new rollout written at once, then broadcasts thread/started', async () => {
    const { client, codexHome } = await start();
    const response = await client.request('thread/fork', { threadId: BASIC_ID });
    const fork = resultOf<{ thread: Thread }>(response).thread;
    expect(fork.id).to.not.equal(BASIC_ID);
    expect(fork.turns.map((t) => t.items.map((i) => i.type))).to.deep.equal([['userMessage', 'agentMessage']]);
    const started = await client.waitFor((m) => m.method === 'thread/started');
    expect((started.params as { thread: Thread }).thread.id).to.equal(fork.id);
    const lines = readFileSync(fork.path!, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { type: string; payload: Record<string, unknown> });
    expect(lines[0]!.payload).to.include({ id: fork.id, forked_from_id: BASIC_ID });
    expect(lines[1]!.payload.id).to.equal(BASIC_ID);
    expect(rolloutFiles(join(codexHome, 'sessions'))).to.have.length(2);
  });

  it('thread/fork copies every valid source line as it is, skips bad ones, and answers the source’s turns', async () => {
    const { client, codexHome } = await start();
    const [source] = rolloutFiles(join(codexHome, 'sessions'));
    const original = readFileSync(source!, 'utf8').trim().split('\n');
    // A line from a newer version (an unknown member) and a garbage line in the middle.
    const newer = '{"timestamp":"2026-02-12T19:27:15.000Z","type":"event_msg","payload":{"type":"agent_message","message":"hi","future_member":{"x":1}}}';
    writeFileSync(source!, `${[original[0], 'garbage {', newer, ...original.slice(1)].join('\n')}\n`);
    const read = resultOf<{ thread: Thread }>(await client.request('thread/read', { threadId: BASIC_ID, includeTurns: true })).thread;
    const fork = resultOf<{ thread: Thread }>(await client.request('thread/fork', { threadId: BASIC_ID })).thread;
    expect(fork.turns).to.deep.equal(read.turns);
    const copied = readFileSync(fork.path!, 'utf8').trim().split('\n');
    expect(copied.slice(1, 2 + original.length)).to.deep.equal([original[0], newer, ...original.slice(1)]);
    expect(copied.slice(2 + original.length).map((l) => (JSON.parse(l) as { type: string }).type)).to.satisfy((types: string[]) => types.length > 0 && types.every((t) => t === 'response_item'));
  });

  it('thread/name/set appends to session_index.jsonl and notifies after answering', async () => {
    const { client, codexHome } = await start();
    await client.request('thread/resume', { threadId: BASIC_ID });
    const blank = await client.request('thread/name/set', { threadId: BASIC_ID, name: '   ' });
    expect(errorOf(blank).message).to.equal('thread name must not be empty');
    const response = await client.request('thread/name/set', { threadId: BASIC_ID, name: '  Greeting  ' });
    expect(resultOf(response)).to.deep.equal({});
    const note = await client.waitFor((m) => m.method === 'thread/name/updated');
    expect(note.params).to.deep.equal({ threadId: BASIC_ID, threadName: 'Greeting' });
    expect(client.received.indexOf(note)).to.be.greaterThan(client.received.indexOf(response));
    const entry = JSON.parse(readFileSync(join(codexHome, 'session_index.jsonl'), 'utf8').trim()) as Record<string, string>;
    expect(entry).to.include({ id: BASIC_ID, thread_name: 'Greeting' });
    expect(entry.updated_at).to.match(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
  });

  it('archive moves the rollout to archived_sessions; unarchive moves it back and bumps its mtime', async () => {
    const { client, codexHome } = await start();
    const [original] = rolloutFiles(join(codexHome, 'sessions'));
    const before = statSync(original!).mtimeMs;
    expect(resultOf(await client.request('thread/archive', { threadId: BASIC_ID }))).to.deep.equal({});
    expect(existsSync(original!)).to.equal(false);
    expect(existsSync(join(codexHome, 'archived_sessions', basename(original!)))).to.equal(true);
    const read = await client.request('thread/read', { threadId: BASIC_ID });
    expect(errorOf(read).data.kind).to.equal('threadNotFound');
    const again = await client.request('thread/archive', { threadId: BASIC_ID });
    expect(errorOf(again).message).to.equal(`no rollout found for thread id ${BASIC_ID}`);
    const restored = resultOf<{ thread: Thread }>(await client.request('thread/unarchive', { threadId: BASIC_ID })).thread;
    expect(restored.path).to.equal(original);
    expect(restored.turns).to.deep.equal([]);
    expect(statSync(original!).mtimeMs).to.be.greaterThan(before);
  });

  it('refuses ids that are not UUIDs and threads that are not loaded', async () => {
    const { client } = await start();
    const bad = await client.request('thread/archive', { threadId: '../../etc/passwd' });
    expect(errorOf(bad)).to.include({ code: -32600 });
    expect(errorOf(bad).data.kind).to.equal('invalidThreadId');
    const notLoaded = await client.request('thread/rollback', { threadId: BASIC_ID, numTurns: 1 });
    expect(errorOf(notLoaded).message).to.equal(`thread not found: ${BASIC_ID}`);
    const missing = await client.request('thread/resume', { threadId: '01a20f8b-0000-7000-8000-000000000000' });
    expect(errorOf(missing).message).to.equal('no rollout found for thread id 01a20f8b-0000-7000-8000-000000000000');
  });

  afterEach(() => {
    for (const dir of readdirSync(tmpdir()).filter((d) => d.startsWith('rxagent-cwd-'))) rmSync(join(tmpdir(), dir), { recursive: true, force: true });
  });
});
