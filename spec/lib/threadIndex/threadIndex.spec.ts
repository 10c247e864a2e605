import { expect } from 'chai';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readHead } from '../../../lib/threadIndex/headScan.js';
import { decodeShard } from '../../../lib/threadIndex/shardStore.js';
import { ThreadIndex, type Closable, type IndexQuery, type ThreadIndexOptions } from '../../../lib/threadIndex/threadIndex.js';
import { appendLines, copyReferenceRollouts, DAY, rolloutPath, setMtime, userLine, uuid, writeRollout } from './rollouts.js';

const query = (overrides: Partial<IndexQuery> = {}): IndexQuery => ({
  archived: false,
  sortKey: 'created_at',
  pageSize: 25,
  cursor: null,
  sources: [],
  modelProviders: null,
  defaultProvider: 'openai',
  ...overrides,
});

describe('ThreadIndex', () => {
  let home: string;
  let headReads: string[];
  let clock: number;
  let warnings: string[];
  const indexes: ThreadIndex[] = [];

  beforeEach(() => {
    home = mkdtempSync(join(tmpdir(), 'rxagent-index-'));
    headReads = [];
    clock = DAY * 1000;
    warnings = [];
  });
  afterEach(() => {
    for (const index of indexes.splice(0)) index.close();
    rmSync(home, { recursive: true, force: true });
  });

  /** An index on the test's clock (so no periodic full check happens unless a test moves it) that records head reads. */
  const open = (options: Partial<ThreadIndexOptions> = {}): ThreadIndex => {
    const index = new ThreadIndex({
      codexHome: home,
      now: () => clock,
      readHead: (path) => {
        headReads.push(path);
        return readHead(path);
      },
      warn: (message) => warnings.push(message),
      ...options,
    });
    indexes.push(index);
    return index;
  };
  const ids = async (index: ThreadIndex, overrides: Partial<IndexQuery> = {}): Promise<string[]> =>
    (await index.page(query(overrides))).items.map((item) => item.summary.meta!.id);

  it('lists the reference rollouts newest first by creation or by last write, with their summaries', async () => {
    const copied = copyReferenceRollouts(home, ['thread-list']);
    const index = open();
    const created = await index.page(query({ modelProviders: ['mock'] }));
    expect(created.items.map((item) => item.summary.preview)).to.deep.equal(['CHARLIE-1', 'BRAVO-1', 'ALPHA-1']);
    expect(created.next).to.equal(null);
    const alpha = created.items[2]!;
    expect(alpha.path).to.equal(copied.find((c) => c.id === alpha.summary.meta!.id)!.path);
    expect(alpha.updatedAt).to.equal(Math.floor(copied.find((c) => c.path === alpha.path)!.lastWrite));
    expect(alpha.summary.meta).to.include({ createdAt: 1_795_557_111, modelProvider: 'mock', source: 'vscode', cwd: '/home/dev/project' });
    const updated = await index.page(query({ sortKey: 'updated_at' }));
    expect(updated.items.map((item) => item.summary.preview)).to.deep.equal(['ALPHA-1', 'CHARLIE-1', 'BRAVO-1']);
  });

  it('breaks ties within a second by thread id, descending, for both sort keys', async () => {
    for (const n of [2, 3, 1]) writeRollout(home, { id: uuid(n), created: DAY + 5, updated: DAY + 50 });
    const index = open();
    expect(await ids(index)).to.deep.equal([uuid(3), uuid(2), uuid(1)]);
    expect(await ids(index, { sortKey: 'updated_at' })).to.deep.equal([uuid(3), uuid(2), uuid(1)]);
    const first = await index.page(query({ pageSize: 1 }));
    expect(first.next).to.deep.equal({ at: { seconds: DAY + 5, nanos: 0 }, id: uuid(3) });
    expect(await ids(index, { pageSize: 5, cursor: first.next })).to.deep.equal([uuid(2), uuid(1)]);
  });

  it('walks year, month and day folders by number, and only those', async () => {
    const newest = writeRollout(home, { id: uuid(1), created: DAY });
    // The same file names in folders "9" and "10": folder numbers decide, not their spelling.
    for (const [month, n] of [['9', 2], ['10', 3]] as const) {
      const dir = join(home, 'sessions', '2025', month, '01');
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, `rollout-2025-09-01T00-00-00-${uuid(n)}.jsonl`), readFileSync(newest, 'utf8'));
    }
    mkdirSync(join(home, 'sessions', 'notes', '01', '01'), { recursive: true });
    writeFileSync(join(home, 'sessions', 'notes', '01', '01', `rollout-2025-09-01T00-00-00-${uuid(4)}.jsonl`), readFileSync(newest, 'utf8'));
    writeFileSync(join(home, 'sessions', `rollout-2025-09-01T00-00-00-${uuid(5)}.jsonl`), readFileSync(newest, 'utf8'));
    writeFileSync(join(home, 'sessions', '2025', '9', '01', 'rollout-notes.jsonl'), readFileSync(newest, 'utf8'));
    const index = open();
    // Listed items carry the meta's id (all copies share it), so compare paths.
    const page = await index.page(query());
    expect(page.items.map((item) => item.path)).to.deep.equal([
      newest,
      join(home, 'sessions', '2025', '10', '01', `rollout-2025-09-01T00-00-00-${uuid(3)}.jsonl`),
      join(home, 'sessions', '2025', '9', '01', `rollout-2025-09-01T00-00-00-${uuid(2)}.jsonl`),
    ]);
  });

  it('lists a thread only once its head holds a meta and a user message', async () => {
    const path = writeRollout(home, { id: uuid(1), created: DAY, preview: null });
    writeRollout(home, { id: uuid(2), created: DAY + 1 });
    const index = open();
    expect(await ids(index)).to.deep.equal([uuid(2)]);
    appendLines(path, [userLine('now it counts')], DAY + 100);
    index.noteWritten(path);
    const page = await index.page(query({ sortKey: 'updated_at' }));
    expect(page.items.map((item) => [item.summary.preview, item.updatedAt])).to.deep.equal([
      ['now it counts', DAY + 100],
      ['thread 0002', DAY + 11],
    ]);
  });

  it('filters by provider (a meta without one counts as the configured provider) and by source', async () => {
    writeRollout(home, { id: uuid(1), created: DAY + 1, meta: { model_provider: 'openai' } });
    writeRollout(home, { id: uuid(2), created: DAY + 2, meta: { model_provider: null } });
    writeRollout(home, { id: uuid(3), created: DAY + 3, meta: { model_provider: 'mock', source: 'cli' } });
    writeRollout(home, { id: uuid(4), created: DAY + 4, meta: { source: 'exec' } });
    const index = open();
    expect(await ids(index, { modelProviders: ['openai'] })).to.deep.equal([uuid(4), uuid(2), uuid(1)]);
    expect(await ids(index, { modelProviders: ['openai'], defaultProvider: 'mock' })).to.deep.equal([uuid(4), uuid(1)]);
    expect(await ids(index, { modelProviders: ['mock'], defaultProvider: 'mock' })).to.deep.equal([uuid(3), uuid(2)]);
    expect(await ids(index, { sources: ['cli', 'vscode'] })).to.deep.equal([uuid(3), uuid(2), uuid(1)]);
    expect(await ids(index, { sources: ['cli'] })).to.deep.equal([uuid(3)]);
  });

  it('applies the reference scan cap: past maxScanFiles files nothing more is found', async () => {
    for (let n = 1; n <= 5; n++) writeRollout(home, { id: uuid(n), created: DAY + n });
    const index = open({ maxScanFiles: 3 });
    const first = await index.page(query({ pageSize: 10 }));
    expect(first.items.map((item) => item.summary.meta!.id)).to.deep.equal([uuid(5), uuid(4), uuid(3)]);
    expect(first.next).to.deep.equal({ at: { seconds: DAY + 3, nanos: 0 }, id: uuid(3) });
    expect(await ids(index, { pageSize: 10, cursor: first.next })).to.deep.equal([]);
    expect(await ids(index, { pageSize: 10, sortKey: 'updated_at' })).to.deep.equal([uuid(5), uuid(4), uuid(3)]);
  });

  for (const watch of [undefined, false] as const) {
    describe(watch === undefined ? 'with file watches' : 'without file watches (every call is a full check)', () => {
      it('shows a file created behind its back on the next call', async () => {
        writeRollout(home, { id: uuid(1), created: DAY });
        const index = open({ watch });
        expect(await ids(index)).to.deep.equal([uuid(1)]);
        writeRollout(home, { id: uuid(2), created: DAY + 1 });
        writeRollout(home, { id: uuid(3), created: DAY + 86_400 * 40 });
        expect(await ids(index)).to.deep.equal([uuid(3), uuid(2), uuid(1)]);
      });

      it('shows a thread in a day folder created after every folder was loaded', async () => {
        writeRollout(home, { id: uuid(1), created: DAY });
        const index = open({ watch });
        // An `updated_at` page loads every folder and caches the whole walk.
        expect(await ids(index, { sortKey: 'updated_at' })).to.deep.equal([uuid(1)]);
        writeRollout(home, { id: uuid(2), created: DAY + 86_400, updated: DAY + 86_400 });
        expect(await ids(index)).to.deep.equal([uuid(2), uuid(1)]);
        expect(await ids(index, { sortKey: 'updated_at' })).to.deep.equal([uuid(2), uuid(1)]);
      });

      it('moves a file appended to behind its back up the updated_at order', async () => {
        const old = writeRollout(home, { id: uuid(1), created: DAY, updated: DAY + 10 });
        writeRollout(home, { id: uuid(2), created: DAY + 1, updated: DAY + 20 });
        const index = open({ watch });
        expect(await ids(index, { sortKey: 'updated_at' })).to.deep.equal([uuid(2), uuid(1)]);
        appendLines(old, [userLine('resumed elsewhere')], DAY + 30);
        const page = await index.page(query({ sortKey: 'updated_at' }));
        expect(page.items.map((item) => [item.summary.meta!.id, item.updatedAt])).to.deep.equal([
          [uuid(1), DAY + 30],
          [uuid(2), DAY + 20],
        ]);
        expect(headReads.filter((path) => path === old)).to.have.length(1);
      });

      it('drops files and folders removed behind its back', async () => {
        const a = writeRollout(home, { id: uuid(1), created: DAY });
        writeRollout(home, { id: uuid(2), created: DAY + 1 });
        const c = writeRollout(home, { id: uuid(3), created: DAY + 86_400 * 40 });
        const index = open({ watch });
        expect(await ids(index, { sortKey: 'updated_at' })).to.have.length(3);
        rmSync(a);
        rmSync(join(c, '..'), { recursive: true });
        expect(await ids(index, { sortKey: 'updated_at' })).to.deep.equal([uuid(2)]);
        expect(await ids(index)).to.deep.equal([uuid(2)]);
      });

      it('follows a file archived and unarchived behind its back', async () => {
        const live = writeRollout(home, { id: uuid(1), created: DAY });
        writeRollout(home, { id: uuid(2), created: DAY + 1 });
        const index = open({ watch });
        expect(await ids(index)).to.deep.equal([uuid(2), uuid(1)]);
        expect(await ids(index, { archived: true })).to.deep.equal([]);
        const archived = rolloutPath(home, { id: uuid(1), created: DAY, archived: true });
        mkdirSync(join(archived, '..'), { recursive: true });
        renameSync(live, archived);
        expect(await ids(index)).to.deep.equal([uuid(2)]);
        expect(await ids(index, { archived: true })).to.deep.equal([uuid(1)]);
        renameSync(archived, live);
        setMtime(live, DAY + 500);
        expect(await ids(index, { sortKey: 'updated_at' })).to.deep.equal([uuid(1), uuid(2)]);
        expect(await ids(index, { archived: true })).to.deep.equal([]);
      });
    });
  }

  it('re-reads a head only when the window was still open: later appends cost a stat', async () => {
    const listed = writeRollout(home, { id: uuid(1), created: DAY });
    const open_ = writeRollout(home, { id: uuid(2), created: DAY + 1, preview: null });
    const index = open({ watch: false });
    await ids(index);
    expect(headReads).to.have.members([listed, open_]);
    headReads = [];
    appendLines(listed, [userLine('second turn')], DAY + 60);
    appendLines(open_, [userLine('first turn')], DAY + 61);
    expect(await ids(index)).to.deep.equal([uuid(2), uuid(1)]);
    expect(headReads).to.deep.equal([open_]);
  });

  describe('when no watch event comes', () => {
    const deaf = (): Closable => ({ close: () => undefined });
    const threeThreads = (): string => {
      const oldest = writeRollout(home, { id: uuid(1), created: DAY, updated: DAY + 10 });
      writeRollout(home, { id: uuid(2), created: DAY + 1, updated: DAY + 20 });
      writeRollout(home, { id: uuid(3), created: DAY + 2, updated: DAY + 15 });
      return oldest;
    };
    const top = (index: ThreadIndex): Promise<string[]> => ids(index, { sortKey: 'updated_at', pageSize: 1 });

    it('moves up a thread whose append it was told about', async () => {
      const oldest = threeThreads();
      const index = open({ watch: deaf });
      expect(await top(index)).to.deep.equal([uuid(2)]);
      appendLines(oldest, [userLine('next turn')], DAY + 30);
      index.noteWritten(oldest);
      expect(await top(index)).to.deep.equal([uuid(1)]);
    });

    it('catches up at the periodic full check with an append nobody reported', async () => {
      const oldest = threeThreads();
      const index = open({ watch: deaf, fullCheckMs: 60_000 });
      expect(await top(index)).to.deep.equal([uuid(2)]);
      appendLines(oldest, [userLine('written by another program')], DAY + 30);
      expect(await top(index)).to.deep.equal([uuid(2)]);
      clock += 60_000;
      expect(await top(index)).to.deep.equal([uuid(1)]);
    });

    it('stats every file at every call once watching fails', async () => {
      const oldest = threeThreads();
      const index = open({
        watch: () => {
          throw Object.assign(new Error('inotify watch limit reached'), { code: 'ENOSPC' });
        },
      });
      expect(await top(index)).to.deep.equal([uuid(2)]);
      appendLines(oldest, [userLine('written by another program')], DAY + 30);
      expect(await top(index)).to.deep.equal([uuid(1)]);
      expect(warnings).to.deep.equal(['thread index: file watching unavailable; every listing checks every rollout']);
    });

    it('follows moves and removals it was told about', async () => {
      const path = writeRollout(home, { id: uuid(1), created: DAY });
      const index = open({ watch: deaf });
      expect(await ids(index)).to.deep.equal([uuid(1)]);
      const moved = rolloutPath(home, { id: uuid(1), created: DAY, archived: true });
      mkdirSync(join(moved, '..'), { recursive: true });
      renameSync(path, moved);
      index.noteMoved(path, moved);
      expect(await ids(index)).to.deep.equal([]);
      expect(await ids(index, { archived: true })).to.deep.equal([uuid(1)]);
      rmSync(moved);
      index.noteRemoved(moved);
      expect(await ids(index, { archived: true })).to.deep.equal([]);
    });
  });

  it('does the first check ahead of the first page when warmed', async () => {
    for (let n = 1; n <= 3; n++) writeRollout(home, { id: uuid(n), created: DAY + 86_400 * n, updated: DAY + 1000 - n });
    const index = open();
    index.warm();
    expect(await ids(index, { sortKey: 'updated_at' })).to.deep.equal([uuid(1), uuid(2), uuid(3)]);
    expect(new Set(headReads).size).to.equal(3);
  });

  it('computes concurrent pages one at a time, each from a consistent state', async () => {
    for (let n = 1; n <= 30; n++) writeRollout(home, { id: uuid(n), created: DAY + n, updated: DAY + 100 - n });
    const index = open();
    const pages = await Promise.all(
      Array.from({ length: 20 }, (_, i) => index.page(query({ pageSize: 7, sortKey: i % 2 === 0 ? 'created_at' : 'updated_at' }))),
    );
    const created = pages[0]!.items.map((item) => item.path);
    const updated = pages[1]!.items.map((item) => item.path);
    pages.forEach((page, i) => expect(page.items.map((item) => item.path)).to.deep.equal(i % 2 === 0 ? created : updated));
    expect(new Set(headReads).size).to.equal(headReads.length);
  });

  describe('on disk', () => {
    const shardDir = (): string => join(home, 'rxagent', 'thread-index');

    it('answers a second start from its shards, reading no head', async () => {
      for (let n = 1; n <= 4; n++) writeRollout(home, { id: uuid(n), created: DAY + 86_400 * n });
      writeRollout(home, { id: uuid(9), created: DAY, archived: true });
      const first = open();
      const before = [await first.page(query()), await first.page(query({ archived: true, sortKey: 'updated_at' }))];
      first.close();
      expect(readdirSync(shardDir()).sort()).to.deep.equal([
        'archived_sessions.shard',
        'sessions~2026~11~25.shard',
        'sessions~2026~11~26.shard',
        'sessions~2026~11~27.shard',
        'sessions~2026~11~28.shard',
      ]);
      headReads = [];
      const second = open();
      expect([await second.page(query()), await second.page(query({ archived: true, sortKey: 'updated_at' }))]).to.deep.equal(before);
      expect(headReads).to.deep.equal([]);
    });

    it('catches up at start with what changed while it was not running', async () => {
      const a = writeRollout(home, { id: uuid(1), created: DAY });
      writeRollout(home, { id: uuid(2), created: DAY + 1 });
      const gone = writeRollout(home, { id: uuid(3), created: DAY + 86_400 * 3 });
      const first = open();
      await ids(first);
      first.close();
      appendLines(a, [userLine('later')], DAY + 1000);
      rmSync(join(gone, '..'), { recursive: true });
      writeRollout(home, { id: uuid(4), created: DAY + 2 });
      headReads = [];
      const second = open();
      expect(await ids(second, { sortKey: 'updated_at' })).to.deep.equal([uuid(1), uuid(4), uuid(2)]);
      expect(headReads).to.deep.equal([rolloutPath(home, { id: uuid(4), created: DAY + 2 })]);
      expect(existsSync(join(shardDir(), 'sessions~2026~11~27.shard'))).to.equal(false);
    });

    it('rebuilds a folder whose shard is corrupt, and writes the shard again', async () => {
      const a = writeRollout(home, { id: uuid(1), created: DAY });
      writeRollout(home, { id: uuid(2), created: DAY + 86_400 });
      const first = open();
      const expected = await ids(first);
      first.close();
      const shard = join(shardDir(), 'sessions~2026~11~24.shard');
      writeFileSync(shard, '{"version":1,"dir":"sessions/2026/11/24","files":[{"na');
      writeFileSync(join(shardDir(), 'stray.shard'), '[]');
      headReads = [];
      const second = open();
      expect(await ids(second)).to.deep.equal(expected);
      expect(headReads).to.deep.equal([a]);
      expect(decodeShard(readFileSync(shard, 'utf8'))?.files).to.have.length(1);
      expect(existsSync(join(shardDir(), 'stray.shard'))).to.equal(false);
    });

    it('re-reads only the file whose shard entry is damaged', async () => {
      writeRollout(home, { id: uuid(1), created: DAY });
      const b = writeRollout(home, { id: uuid(2), created: DAY + 1 });
      const first = open();
      const expected = await ids(first);
      first.close();
      const shard = join(shardDir(), 'sessions~2026~11~24.shard');
      writeFileSync(shard, readFileSync(shard, 'utf8').replace(/\t\{"meta":\{"id":"00000000-0000-7000-8000-000000000002".*$/m, '\t{"meta":42}'));
      headReads = [];
      expect(await ids(open())).to.deep.equal(expected);
      expect(headReads).to.deep.equal([b]);
    });

    it('keeps answering from memory when the index cannot be saved', async () => {
      writeFileSync(join(home, 'rxagent'), 'not a folder');
      writeRollout(home, { id: uuid(1), created: DAY });
      const index = open();
      expect(await ids(index)).to.deep.equal([uuid(1)]);
      writeRollout(home, { id: uuid(2), created: DAY + 1 });
      expect(await ids(index)).to.deep.equal([uuid(2), uuid(1)]);
      expect(warnings).to.deep.equal(['thread index: cannot save']);
    });
  });
});
