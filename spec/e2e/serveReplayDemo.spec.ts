import { expect } from 'chai';
import { existsSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RpcClient, type Message } from '../support/rpcClient.js';
import { ServerProcess } from '../support/serverProcess.js';

// The offline `replay` provider end to end: `rxagent serve` with an empty CODEX_HOME and no
// OPENAI_API_KEY answers from the bundled demo scripts, through the real turn pipeline.

type Item = { type: string; id: string; status?: string; [key: string]: unknown };
type Params = { threadId?: string; turnId?: string; item?: Item; delta?: string; turn?: { id: string; status: string; error: unknown } };
const paramsOf = (m: Message): Params => m.params as Params;

interface Session {
  readonly server: ServerProcess;
  readonly client: RpcClient;
  readonly cwd: string;
  readonly threadId: string;
}

const dirs: string[] = [];
const tempDir = (prefix: string): string => {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), prefix)));
  dirs.push(dir);
  return dir;
};

/** `rxagent serve` offline, a websocket client initialized, and a thread in a fresh folder. */
const session = async (args: readonly string[] = [], capabilities: Record<string, unknown> | null = null): Promise<Session> => {
  const server = ServerProcess.start(['serve', '--listen', 'ws://127.0.0.1:0', ...args]);
  const [, url] = await server.waitForStderr(/listening on: (ws:\/\/127\.0\.0\.1:\d+)/);
  const client = await RpcClient.websocket(url!);
  await client.initialize(capabilities);
  const cwd = tempDir('rxagent-replay-cwd-');
  const started = (await client.request('thread/start', { cwd })).result as { modelProvider: string; thread: { id: string } };
  expect(started.modelProvider).to.equal('replay');
  return { server, client, cwd, threadId: started.thread.id };
};

/** Starts a turn; resolves with its id and a promise of its `turn/completed`. */
const turn = async (s: Session, text: string, extra: Record<string, unknown> = {}) => {
  const response = await s.client.request('turn/start', { threadId: s.threadId, input: [{ type: 'text', text, text_elements: [] }], ...extra });
  const turnId = (response.result as { turn: { id: string } }).turn.id;
  const completed = s.client.waitFor((m) => m.method === 'turn/completed' && paramsOf(m).turn?.id === turnId);
  return { turnId, response, completed };
};

const ofTurn = (s: Session, turnId: string, method: string): Message[] => s.client.received.filter((m) => m.method === method && paramsOf(m).turnId === turnId);
const completedItems = (s: Session, turnId: string, type: string): Item[] =>
  ofTurn(s, turnId, 'item/completed')
    .map((m) => paramsOf(m).item!)
    .filter((item) => item.type === type);
const request = (s: Session, method: string): Promise<Message> => s.client.waitFor((m) => m.method === method && m.id !== undefined);

const FAST = ['-c', 'model_providers.replay.delay_ms=0'];

describe('offline replay demo (rxagent serve, no credentials)', () => {
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('"hello": a reasoning summary and a streamed agent message, then turn/completed', async () => {
    const s = await session();
    const { turnId, completed } = await turn(s, 'hello');
    const done = await completed;
    expect(paramsOf(done).turn).to.deep.include({ status: 'completed', error: null });
    const [reasoning] = completedItems(s, turnId, 'reasoning');
    expect(reasoning!.summary).to.deep.equal(['**Answering offline**\n\nNo model is connected, so this reply is a script bundled with rxagent, streamed like a real response.']);
    const [message] = completedItems(s, turnId, 'agentMessage');
    expect(message!.text).to.match(/^Hello! I am the offline \*\*replay\*\* demo model of rxagent\./);
    const deltas = ofTurn(s, turnId, 'item/agentMessage/delta').filter((m) => (m.params as { itemId: string }).itemId === message!.id);
    expect(deltas.length).to.be.greaterThan(10);
    expect(deltas.map((m) => paramsOf(m).delta).join('')).to.equal(message!.text);
    expect(ofTurn(s, turnId, 'item/reasoning/summaryTextDelta').length).to.be.greaterThan(5);
    const usage = s.client.received.find((m) => m.method === 'thread/tokenUsage/updated' && paramsOf(m).turnId === turnId);
    expect(usage, 'token usage').to.not.equal(undefined);
  });

  it('"run a command": asks item/commandExecution/requestApproval, runs it once accepted, then follows up', async () => {
    const s = await session(FAST);
    writeFileSync(join(s.cwd, 'marker-file.txt'), 'x');
    const { turnId, completed } = await turn(s, 'Please run a command');
    const approval = await request(s, 'item/commandExecution/requestApproval');
    const asked = approval.params as { turnId: string; command: string; cwd: string; reason: string };
    expect(asked).to.deep.include({ turnId, cwd: s.cwd, reason: 'Allow the offline demo to list the files in this folder with `ls -la`?' });
    expect(asked.command).to.match(/ls -la'?$/);
    s.client.send({ id: approval.id!, result: { decision: 'accept' } });
    expect(paramsOf(await completed).turn!.status).to.equal('completed');
    const [command] = completedItems(s, turnId, 'commandExecution');
    expect(command).to.deep.include({ status: 'completed', exitCode: 0 });
    expect(command!.aggregatedOutput).to.contain('marker-file.txt');
    const messages = completedItems(s, turnId, 'agentMessage').map((m) => m.text as string);
    expect(messages[0]).to.match(/^I'll list the files in this folder/);
    expect(messages.at(-1)).to.match(/^Done: the command ran after your approval/);
  });

  it('"run a command", declined: nothing runs and the follow-up says so', async () => {
    const s = await session(FAST);
    const { turnId, completed } = await turn(s, 'run ls');
    const approval = await request(s, 'item/commandExecution/requestApproval');
    s.client.send({ id: approval.id!, result: { decision: 'decline' } });
    await completed;
    expect(completedItems(s, turnId, 'commandExecution').map((i) => i.status)).to.deep.equal(['declined']);
    expect(completedItems(s, turnId, 'agentMessage').at(-1)!.text).to.equal('Understood: I did not run the command. Nothing was changed.');
  });

  it('"edit a file": apply_patch adds a file in the thread’s folder after the file-change approval', async () => {
    const s = await session(FAST);
    const { turnId, completed } = await turn(s, 'Edit a file for me');
    const approval = await request(s, 'item/fileChange/requestApproval');
    expect(existsSync(join(s.cwd, 'rxagent-demo.md'))).to.equal(false);
    s.client.send({ id: approval.id!, result: { decision: 'accept' } });
    expect(paramsOf(await completed).turn!.status).to.equal('completed');
    expect(readFileSync(join(s.cwd, 'rxagent-demo.md'), 'utf8')).to.match(/^# Hello from rxagent\n/);
    const [change] = completedItems(s, turnId, 'fileChange');
    expect(change!.status).to.equal('completed');
    expect(change!.changes).to.deep.include.members([{ path: join(s.cwd, 'rxagent-demo.md'), kind: { type: 'add' }, diff: readFileSync(join(s.cwd, 'rxagent-demo.md'), 'utf8') }]);
    expect(ofTurn(s, turnId, 'turn/diff/updated').length).to.be.greaterThan(0);
    expect(completedItems(s, turnId, 'agentMessage').at(-1)!.text).to.match(/^Done: `rxagent-demo\.md` now exists/);
  });

  it('plan mode: the plan demo streams a plan item and the message without the block', async () => {
    const s = await session(FAST, { experimentalApi: true });
    const collaborationMode = { mode: 'plan', settings: { model: 'replay-demo', reasoning_effort: null, developer_instructions: null } };
    const { turnId, completed } = await turn(s, 'hello', { collaborationMode });
    expect(paramsOf(await completed).turn!.status).to.equal('completed');
    const [plan] = completedItems(s, turnId, 'plan');
    expect(plan!.text).to.match(/^# Add a short demo note to the project\n- Create `rxagent-demo\.md`/);
    expect(ofTurn(s, turnId, 'item/plan/delta').length).to.be.greaterThan(0);
    const [message] = completedItems(s, turnId, 'agentMessage');
    expect(message!.text).to.not.contain('<proposed_plan>');
    expect(message!.text).to.match(/^Here is a plan\. Nothing has been changed yet\./);
  });

  it('answers from the user’s own scripts with model_provider = "replay" (app-server over stdio too)', async () => {
    const codexHome = tempDir('rxagent-replay-home-');
    const scripts = join(codexHome, 'scripts.json');
    writeFileSync(
      scripts,
      JSON.stringify({
        version: 1,
        scripts: [
          { name: 'weather', match: { keywords: ['weather'] }, responses: [{ output: [{ type: 'message', text: 'Sunny, as scripted.', chunks: ['Sunny, ', 'as scripted.'] }] }] },
          { name: 'other', responses: [{ output: [{ type: 'message', text: 'Ask me about the weather.' }] }] },
        ],
      }),
    );
    writeFileSync(join(codexHome, 'config.toml'), `model_provider = "replay"\nmodel = "replay-demo"\n[model_providers.replay]\nscripts = ${JSON.stringify(scripts)}\n`);
    const server = ServerProcess.start(['app-server'], { codexHome, env: { OPENAI_API_KEY: 'sk-dummy-not-used' } });
    const client = RpcClient.stdio(server);
    await client.initialize();
    const started = (await client.request('thread/start', { cwd: tempDir('rxagent-replay-cwd-') })).result as { modelProvider: string; thread: { id: string } };
    expect(started.modelProvider).to.equal('replay');
    const s: Session = { server, client, cwd: '', threadId: started.thread.id };
    const { turnId, completed } = await turn(s, "What's the weather?");
    await completed;
    expect(ofTurn(s, turnId, 'item/agentMessage/delta').map((m) => paramsOf(m).delta)).to.deep.equal(['Sunny, ', 'as scripted.']);
    expect(server.stderr).to.not.contain('no credentials configured');
  });
});
