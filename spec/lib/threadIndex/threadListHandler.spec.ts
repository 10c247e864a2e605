import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RequestContext } from '../../../lib/server/handler.js';
import { configuredProvider, readUserConfig } from '../../../lib/auth/userConfig.js';
import { makeThreadList } from '../../../lib/server/methods/threadList.js';
import { RpcError } from '../../../lib/server/rpcError.js';
import type { ListCursor } from '../../../lib/threadIndex/cursor.js';
import type { IndexPage, IndexQuery, IndexedThread } from '../../../lib/threadIndex/threadIndex.js';
import type { SessionSource, ThreadListParams, ThreadListResponse } from '../../../lib/protocol/index.js';
import { uuid } from './rollouts.js';

const thread = (n: number, source: SessionSource = 'vscode'): IndexedThread => ({
  path: `/home/u/.codex/sessions/2026/11/24/rollout-2026-11-24T00-00-0${n}-${uuid(n)}.jsonl`,
  summary: {
    meta: { id: uuid(n), forkedFromId: null, createdAt: n, modelProvider: null, source, cwd: '/p', cliVersion: '0.101.0', originator: 'o', gitInfo: null },
    preview: `thread ${n}`,
    updatedAt: null,
  },
  updatedAt: 100 + n,
});
const at = (n: number): ListCursor => ({ at: { seconds: n, nanos: 0 }, id: uuid(n) });

/** A handler over scripted index pages; records the queries it was asked. */
const handlerWith = (pages: IndexPage[], provider = 'openai') => {
  const queries: IndexQuery[] = [];
  const handler = makeThreadList({
    indexFor: () => ({
      page: async (query) => {
        queries.push(query);
        return pages.shift() ?? { items: [], next: null };
      },
    }),
    modelProvider: () => provider,
  });
  const ctx = { server: { codexHome: '/home/u/.codex' } } as unknown as RequestContext;
  const call = async (params: ThreadListParams): Promise<ThreadListResponse> => (await handler.handle(params, ctx)) as ThreadListResponse;
  return { call, queries };
};

describe('thread/list handler', () => {
  it('asks for 25 threads by creation, of the configured provider and interactive sources, by default', async () => {
    const { call, queries } = handlerWith([], 'mock');
    expect(await call({})).to.deep.equal({ data: [], nextCursor: null });
    expect(queries).to.deep.equal([
      { archived: false, sortKey: 'created_at', pageSize: 25, cursor: null, sources: ['cli', 'vscode'], modelProviders: ['mock'], defaultProvider: 'mock' },
    ]);
  });

  it('answers the threads of a full page as wire threads, with the next cursor in RFC 3339', async () => {
    const { call } = handlerWith([{ items: [thread(2), thread(1)], next: at(1) }], 'mock');
    const result = await call({ limit: 2 });
    expect(result.nextCursor).to.equal(`1970-01-01T00:00:01Z|${uuid(1)}`);
    expect(result.data.map((t) => [t.id, t.preview, t.modelProvider, t.createdAt, t.updatedAt, t.path, t.turns])).to.deep.equal([
      [uuid(2), 'thread 2', 'mock', 2, 102, thread(2).path, []],
      [uuid(1), 'thread 1', 'mock', 1, 101, thread(1).path, []],
    ]);
  });

  it('passes the request through: limit, sort key, cursor, providers (empty means all), archived', async () => {
    const { call, queries } = handlerWith([]);
    await call({ limit: 0, sortKey: 'updated_at', cursor: `2026-11-24T00-00-00|${uuid(7)}`, modelProviders: [], archived: true });
    await call({ limit: 4_000_000, modelProviders: ['a', 'b'], sourceKinds: ['cli'] });
    expect(queries.map((q) => [q.pageSize, q.sortKey, q.cursor, q.modelProviders, q.archived, q.sources])).to.deep.equal([
      [1, 'updated_at', { at: { seconds: 1_795_478_400, nanos: 0 }, id: uuid(7) }, null, true, ['cli', 'vscode']],
      [100, 'created_at', null, ['a', 'b'], false, ['cli']],
    ]);
  });

  it('refuses a cursor it cannot parse with -32600 invalidCursor', async () => {
    const { call } = handlerWith([]);
    const error = await call({ cursor: 'not-a-cursor' }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).to.be.instanceOf(RpcError);
    expect((error as RpcError).toObject()).to.deep.equal({ code: -32600, message: 'invalid cursor: not-a-cursor', data: { kind: 'invalidCursor' } });
  });

  it('keeps paging while the source-kind filter leaves the page short, asking only for what is missing', async () => {
    const { call, queries } = handlerWith([
      { items: [thread(9), thread(8, 'exec')], next: at(8) },
      { items: [thread(7)], next: at(7) },
      { items: [thread(6, 'exec')], next: at(6) },
    ]);
    const result = await call({ limit: 2, sourceKinds: ['exec'] });
    expect(result.data.map((t) => t.id)).to.deep.equal([uuid(8), uuid(6)]);
    expect(result.nextCursor).to.equal(`1970-01-01T00:00:06Z|${uuid(6)}`);
    expect(queries.map((q) => [q.pageSize, q.cursor, q.sources])).to.deep.equal([
      [2, null, []],
      [1, at(8), []],
      [1, at(7), []],
    ]);
  });

  it('stops, with no cursor, when a page would start again where the last one did', async () => {
    const { call, queries } = handlerWith([
      { items: [thread(5)], next: at(5) },
      { items: [], next: at(5) },
    ]);
    const result = await call({ limit: 3, sourceKinds: ['subAgent'] });
    expect(result).to.deep.equal({ data: [], nextCursor: null });
    expect(queries).to.have.length(2);
  });

  describe('the configured provider (the default filter)', () => {
    let home: string;
    const configuredModelProvider = (codexHome: string, cliOverrides: Parameters<typeof readUserConfig>[0]['cliOverrides'] = []): string =>
      configuredProvider(readUserConfig({ codexHome, cliOverrides }));
    beforeEach(() => {
      home = mkdtempSync(join(tmpdir(), 'rxagent-provider-'));
    });
    afterEach(() => rmSync(home, { recursive: true, force: true }));

    it('is openai without a config, the top-level key, or the active profile’s', () => {
      expect(configuredModelProvider(home)).to.equal('openai');
      writeFileSync(join(home, 'config.toml'), 'model_provider = "mock"\n[profiles.work]\nmodel_provider = "azure"\n');
      expect(configuredModelProvider(home)).to.equal('mock');
      writeFileSync(join(home, 'config.toml'), 'profile = "work"\nmodel_provider = "mock"\n[profiles.work]\nmodel_provider = "azure"\n');
      expect(configuredModelProvider(home)).to.equal('azure');
    });

    it('follows a -c model_provider flag', () => {
      writeFileSync(join(home, 'config.toml'), 'model_provider = "mock"\n');
      expect(configuredModelProvider(home, [{ path: ['model_provider'], value: 'azure' }])).to.equal('azure');
    });

    it('fails with -32603 naming the file when the config is not TOML', () => {
      writeFileSync(join(home, 'config.toml'), 'model_provider = \n');
      expect(() => configuredModelProvider(home)).to.throw(RpcError, `failed to parse ${join(home, 'config.toml')}`);
    });
  });
});
