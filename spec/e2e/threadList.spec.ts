import { expect } from 'chai';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { parseRolloutFileName } from '../../lib/threadIndex/cursor.js';
import { decodeShard } from '../../lib/threadIndex/shardStore.js';
import { appendLines, copyReferenceRollouts, DAY, userLine, uuid, writeRollout, type CopiedRollout } from '../lib/threadIndex/rollouts.js';
import { newBindings, placeholderMismatches } from '../reducers/placeholderMatch.js';
import { FIXTURES_DIR, pinnedThreads, scenarios, transcript } from '../reducers/referenceFixtures.js';
import { RpcClient, type Message } from '../support/rpcClient.js';
import { ServerProcess } from '../support/serverProcess.js';

interface ListResult {
  readonly data: ReadonlyArray<{ readonly id: string; readonly preview: string; readonly updatedAt: number; readonly path: string }>;
  readonly nextCursor: string | null;
}
interface RpcErrorBody {
  readonly code: number;
  readonly message: string;
  readonly data: { readonly kind: string };
}

const MOCK_CONFIG = 'model_provider = "mock"\n\n[model_providers.mock]\nname = "Mock"\nbase_url = "http://127.0.0.1:9/v1"\nwire_api = "responses"\n';

/** A CODEX_HOME (removed when its server stops) configured for the fixtures' `mock` provider. */
const newHome = (): string => {
  const home = mkdtempSync(join(tmpdir(), 'rxagent-list-'));
  writeFileSync(join(home, 'config.toml'), MOCK_CONFIG);
  return home;
};

const serve = async (home: string): Promise<{ server: ServerProcess; client: RpcClient }> => {
  const server = ServerProcess.start(['app-server'], { codexHome: home });
  const client = RpcClient.stdio(server);
  await client.initialize();
  return { server, client };
};

const list = async (client: RpcClient, params: Record<string, unknown>): Promise<ListResult> => {
  const answer = await client.request('thread/list', params);
  if (answer.error !== undefined) throw new Error(`thread/list failed: ${JSON.stringify(answer.error)}`);
  return answer.result as ListResult;
};

/** Every thread of a listing, page by page; each page must respect `limit`. */
const listAll = async (client: RpcClient, params: Record<string, unknown> & { limit: number }): Promise<string[]> => {
  const ids: string[] = [];
  let cursor: string | null = null;
  for (let pages = 0; pages < 100; pages++) {
    const page: ListResult = await list(client, { ...params, cursor });
    expect(page.data.length).to.be.at.most(params.limit);
    ids.push(...page.data.map((thread) => thread.id));
    if (page.nextCursor === null) return ids;
    cursor = page.nextCursor;
  }
  throw new Error('paging did not end');
};

const byId = (a: string, b: string): number => (a < b ? 1 : a > b ? -1 : 0);
const createdOrder = (copied: readonly CopiedRollout[]): string[] =>
  copied
    .map((c) => ({ id: c.id, at: parseRolloutFileName(basename(c.path))!.seconds }))
    .sort((a, b) => b.at - a.at || byId(a.id, b.id))
    .map((c) => c.id);
const updatedOrder = (copied: readonly CopiedRollout[]): string[] =>
  [...copied].sort((a, b) => Math.floor(b.lastWrite) - Math.floor(a.lastWrite) || byId(a.id, b.id)).map((c) => c.id);

interface ScenarioStep {
  readonly request?: string;
  readonly label?: string;
  readonly params?: Record<string, unknown>;
}

/** `"${label.path.to.value}"` in a scenario step, taken from the answer recorded under `label`. */
const substitute = (params: Record<string, unknown>, answers: ReadonlyMap<string, Message>): Record<string, unknown> =>
  Object.fromEntries(
    Object.entries(params).map(([key, value]) => {
      const ref = typeof value === 'string' ? /^\$\{(\w+)\.([\w.]+)\}$/.exec(value) : null;
      if (ref === null) return [key, value];
      const resolved = ref[2]!.split('.').reduce<unknown>((at, part) => (at as Record<string, unknown>)[part], answers.get(ref[1]!));
      return [key, resolved];
    }),
  );

describe('thread/list (e2e)', () => {
  it('answers the recorded thread-list scenario as the reference did', async () => {
    const home = newHome();
    copyReferenceRollouts(home, ['thread-list']);
    const { client } = await serve(home);
    const bindings = newBindings();
    for (const [placeholder, path] of pinnedThreads('thread-list')) {
      const id = parseRolloutFileName(basename(path))!.id;
      bindings.byPlaceholder.set(placeholder, id);
      bindings.byValue.set(id, placeholder);
    }
    const steps = (JSON.parse(readFileSync(join(FIXTURES_DIR, 'thread-list', 'scenario.json'), 'utf8')) as { steps: ScenarioStep[] }).steps.filter(
      (step) => step.request === 'thread/list',
    );
    const recorded = transcript('thread-list').filter((entry) => entry.dir === 'recv' && entry.method === 'thread/list');
    expect(steps).to.have.length(recorded.length);
    const answers = new Map<string, Message>();
    for (const [i, step] of steps.entries()) {
      const params = substitute(step.params ?? {}, answers);
      const answer = await client.request('thread/list', params);
      if (step.label !== undefined) answers.set(step.label, answer);
      const expected = recorded[i]! as { type: string; result?: ListResult; error?: RpcErrorBody };
      const where = `step ${i} ${JSON.stringify(params)}`;
      if (expected.type === 'error') {
        const error = answer.error as RpcErrorBody;
        if (params.sortKey === 'bogus') {
          // Bad params are -32602 in rxagent (SPEC §I.2), -32600 in the reference.
          expect(error.code, where).to.equal(-32602);
        } else {
          expect(error, where).to.deep.equal({ ...expected.error, data: { kind: 'invalidCursor' } });
        }
        continue;
      }
      const result = answer.result as ListResult;
      expect(placeholderMismatches(expected.result, result, bindings), where).to.deep.equal([]);
      // The template `<iso-ts>|<thread-N>` matches any text; the cursor must name that thread.
      const cursorTemplate = /^<iso-ts>\|(<thread-\d+>)$/.exec(expected.result!.nextCursor ?? '');
      if (cursorTemplate !== null) {
        const id = bindings.byPlaceholder.get(cursorTemplate[1]!);
        expect(result.nextCursor, where).to.match(new RegExp(`^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z\\|${id}$`));
      }
    }
  });

  it('pages through the rollouts of every reference scenario with both sort keys', async () => {
    const home = newHome();
    const copied = copyReferenceRollouts(home, scenarios());
    expect(copied.length).to.be.greaterThan(8);
    const { client } = await serve(home);
    expect(await listAll(client, { limit: 3 })).to.deep.equal(createdOrder(copied));
    expect(await listAll(client, { limit: 3, sortKey: 'created_at' })).to.deep.equal(createdOrder(copied));
    expect(await listAll(client, { limit: 4, sortKey: 'updated_at' })).to.deep.equal(updatedOrder(copied));
    const first = await list(client, { limit: 2, sortKey: 'updated_at' });
    const lastWrite = copied.find((c) => c.id === first.data[0]!.id)!.lastWrite;
    expect(first.data[0]!.updatedAt).to.equal(Math.floor(lastWrite));
    expect(first.data[0]!.path).to.equal(copied.find((c) => c.id === first.data[0]!.id)!.path);
  });

  describe('filters', () => {
    let client: RpcClient;
    let fixtureIds: string[];
    const ids = async (params: Record<string, unknown>): Promise<string[]> => (await list(client, params)).data.map((thread) => thread.id);

    beforeEach(async () => {
      const home = newHome();
      fixtureIds = createdOrder(copyReferenceRollouts(home, ['thread-list', 'turn-basic']));
      writeRollout(home, { id: uuid(1), created: DAY + 1, meta: { model_provider: 'openai', source: 'cli' } });
      writeRollout(home, { id: uuid(2), created: DAY + 2, meta: { model_provider: 'mock', source: 'exec' } });
      writeRollout(home, { id: uuid(3), created: DAY + 3, meta: { model_provider: 'mock', source: { subagent: 'review' } } });
      writeRollout(home, { id: uuid(4), created: DAY + 4, meta: { model_provider: 'mock' }, archived: true });
      ({ client } = await serve(home));
    });

    it('lists only the configured provider unless modelProviders says otherwise', async () => {
      expect(await ids({})).to.deep.equal(fixtureIds);
      expect(await ids({ modelProviders: null })).to.deep.equal(fixtureIds);
      expect(await ids({ modelProviders: [] })).to.deep.equal([...fixtureIds, uuid(1)]);
      expect(await ids({ modelProviders: ['openai'] })).to.deep.equal([uuid(1)]);
    });

    it('lists interactive sources by default, and any kinds asked for', async () => {
      expect(await ids({ modelProviders: [], sourceKinds: ['cli'] })).to.deep.equal([uuid(1)]);
      expect(await ids({ sourceKinds: ['exec'] })).to.deep.equal([uuid(2)]);
      expect(await ids({ sourceKinds: ['subAgentReview'] })).to.deep.equal([uuid(3)]);
      expect(await ids({ modelProviders: [], sourceKinds: ['subAgent', 'cli'] })).to.deep.equal([uuid(3), uuid(1)]);
    });

    it('keeps scanning past threads the source filter drops until the page is full', async () => {
      const page = await list(client, { limit: 1, sourceKinds: ['exec'] });
      expect(page.data.map((thread) => thread.id)).to.deep.equal([uuid(2)]);
      expect(page.nextCursor).to.be.a('string');
      expect(await list(client, { limit: 1, sourceKinds: ['exec'], cursor: page.nextCursor })).to.deep.equal({ data: [], nextCursor: null });
    });

    it('lists archived threads only when asked', async () => {
      expect(await ids({ archived: true })).to.deep.equal([uuid(4)]);
      expect(await ids({ archived: false })).to.not.include(uuid(4));
    });

    it('clamps limit to 1..100', async () => {
      expect((await list(client, { limit: 0 })).data).to.have.length(1);
      expect((await list(client, { limit: 100_000 })).data).to.have.length(fixtureIds.length);
    });

    it('refuses a cursor it cannot parse with -32600 invalidCursor, and takes the file-name form', async () => {
      const answer = await client.request('thread/list', { cursor: '2026-11-24T21:51:54Z|nope' });
      expect(answer.error).to.deep.equal({ code: -32600, message: 'invalid cursor: 2026-11-24T21:51:54Z|nope', data: { kind: 'invalidCursor' } });
      const first = await list(client, { limit: 1 });
      const fileNameForm = `${basename(first.data[0]!.path).slice('rollout-'.length, 'rollout-'.length + 19)}|${first.data[0]!.id}`;
      expect(await ids({ cursor: fileNameForm })).to.deep.equal(fixtureIds.slice(1));
    });
  });

  it('shows what other programs change in CODEX_HOME at the next call', async () => {
    const home = newHome();
    const a = writeRollout(home, { id: uuid(1), created: DAY, updated: DAY + 10 });
    const b = writeRollout(home, { id: uuid(2), created: DAY + 1, updated: DAY + 20 });
    const { client } = await serve(home);
    const order = async (): Promise<string[]> => (await list(client, { sortKey: 'updated_at', modelProviders: [] })).data.map((t) => t.id);
    expect(await order()).to.deep.equal([uuid(2), uuid(1)]);
    appendLines(a, [userLine('appended by another server')], DAY + 30);
    expect(await order()).to.deep.equal([uuid(1), uuid(2)]);
    writeRollout(home, { id: uuid(3), created: DAY + 86_400 * 30, updated: DAY + 25 });
    rmSync(b);
    expect(await order()).to.deep.equal([uuid(1), uuid(3)]);
  });

  it('leaves out a folder and a rollout it may not read, says why, and goes on serving', async () => {
    const home = newHome();
    writeRollout(home, { id: uuid(1), created: DAY, updated: DAY + 10 });
    const lockedFile = writeRollout(home, { id: uuid(2), created: DAY + 1, updated: DAY + 20 });
    const lockedDir = dirname(writeRollout(home, { id: uuid(3), created: DAY + 86_400, updated: DAY + 86_400 + 10 }));
    chmodSync(lockedFile, 0o000);
    chmodSync(lockedDir, 0o000);
    const server = ServerProcess.start(['app-server'], { codexHome: home, obeyFileModes: true });
    try {
      const client = RpcClient.stdio(server);
      await client.initialize();
      for (const sortKey of ['created_at', 'updated_at']) {
        expect((await list(client, { sortKey, modelProviders: [] })).data.map((t) => t.id)).to.deep.equal([uuid(1)]);
      }
      await server.waitForStderr(/cannot list rollout folder/);
      const unreadable = await client.request('thread/read', { threadId: uuid(2), includeTurns: true });
      // The folder that cannot be listed is newer: it must not hide the older thread's file.
      expect((unreadable.error as RpcErrorBody).message).to.match(/^failed to load rollout `.*permission denied reading rollout/);
      const hidden = await client.request('thread/resume', { threadId: uuid(3) });
      expect((hidden.error as RpcErrorBody).data.kind).to.equal('threadNotFound');
      expect((await list(client, { modelProviders: [] })).data.map((t) => t.id)).to.deep.equal([uuid(1)]);
    } finally {
      chmodSync(lockedFile, 0o644);
      chmodSync(lockedDir, 0o755);
      await server.stop();
    }
  });

  it('keeps its index in CODEX_HOME/rxagent/thread-index and survives a corrupt shard at restart', async () => {
    const home = newHome();
    const copied = copyReferenceRollouts(home, ['thread-list', 'thread-fork']);
    const first = await serve(home);
    const before = await list(first.client, { limit: 100 });
    const shards = readdirSync(join(home, 'rxagent', 'thread-index'));
    expect(shards).to.deep.equal(['sessions~2026~11~24.shard']);
    first.server.child.stdin.end();
    await first.server.exited;
    writeFileSync(join(home, 'rxagent', 'thread-index', shards[0]!), '{"version":2,"dir":');
    const second = await serve(home);
    expect(await list(second.client, { limit: 100 })).to.deep.equal(before);
    expect(before.data.map((thread) => thread.id)).to.deep.equal(createdOrder(copied));
    expect(decodeShard(readFileSync(join(home, 'rxagent', 'thread-index', shards[0]!), 'utf8'))?.files).to.have.length(copied.length);
    // Stopped here, not by the reaper: it would remove the shared home while this server still writes to it.
    await second.server.stop();
  });
});
