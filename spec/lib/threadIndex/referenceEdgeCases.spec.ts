import { expect } from 'chai';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ThreadIndex, type IndexQuery } from '../../../lib/threadIndex/threadIndex.js';
import { sourceFilters } from '../../../lib/threadIndex/listing.js';

// Odd rollouts, and how `codex app-server` 0.101.0 listed them (recorded from the reference with
// `thread/list` on this very home: previews, createdAt, updatedAt, source, file). Each case names
// what it pins.
const BASE = 1_795_478_400; // 2026-11-24T00:00:00Z
const iso = (s: number): string => new Date(s * 1000).toISOString();
const stamp = (s: number): string => iso(s).slice(0, 19).replaceAll(':', '-');
const meta = (id: string, s: number, extra: Record<string, unknown> = {}): string =>
  JSON.stringify({
    timestamp: iso(s),
    type: 'session_meta',
    payload: { id, timestamp: iso(s), cwd: '/p', originator: 'o', cli_version: '0.101.0', source: 'vscode', model_provider: 'openai', ...extra },
  });
const user = (text: string, s: number): string => JSON.stringify({ timestamp: iso(s), type: 'event_msg', payload: { type: 'user_message', message: text, images: [] } });
const response = (text: string, s: number): string =>
  JSON.stringify({ timestamp: iso(s), type: 'response_item', payload: { type: 'message', role: 'user', content: [{ type: 'input_text', text }] } });
const agent = (s: number): string => JSON.stringify({ timestamp: iso(s), type: 'event_msg', payload: { type: 'agent_message', message: 'ok' } });

const writeCases = (home: string): void => {
  let n = 0;
  let at = BASE;
  const id = (): string => `01a20f8b-0000-7000-8000-${String(++n).padStart(12, '0')}`;
  const dayOf = (s: number): string => join(home, 'sessions', stamp(s).slice(0, 4), stamp(s).slice(5, 7), stamp(s).slice(8, 10));
  const write = (
    content: (id: string, s: number) => string[] | Buffer,
    options: { s?: number; id?: string; name?: string; dir?: string; mtime?: number; torn?: boolean } = {},
  ): void => {
    const s = options.s ?? (at += 60);
    const threadId = options.id ?? id();
    const dir = options.dir ?? dayOf(s);
    const path = join(dir, options.name ?? `rollout-${stamp(s)}-${threadId}.jsonl`);
    const body = content(threadId, s);
    mkdirSync(dir, { recursive: true });
    writeFileSync(path, Buffer.isBuffer(body) ? body : body.join('\n') + (options.torn ? '' : '\n'));
    utimesSync(path, options.mtime ?? s + 100, options.mtime ?? s + 100);
  };
  write((t, s) => [meta(t, s), response('RESPONSE TEXT', s), user('EVENT TEXT', s), agent(s)]); // preview: the event, not the response item
  write((t, s) => [meta(t, s), user('<ctx>\n## My request for Codex:\n  do X  ', s)]); // template prefix stripped, trimmed
  write((t, s) => [meta(t, s), ...Array.from({ length: 12 }, (_, i) => response(`f${i}`, s)), user('C late', s)]); // window extended after a meta
  write((t, s) => [meta(t, s), ...Array.from({ length: 209 }, (_, i) => response(`f${i}`, s)), user('D too late', s)]); // past 210 lines: not listed
  write((t, s) => [...Array.from({ length: 10 }, () => 'junk'), meta(t, s), user('E', s)]); // no meta in the first ten lines: not listed
  write((t, s) => [meta(t, s, { model_provider: undefined }), user('F no provider', s)]); // counts as the configured provider
  write((t, s) => [meta(t, s, { source: 'mcp' }), user('G mcp', s)]);
  write((t, s) => [meta(t, s, { source: { subagent: 'review' } }), user('G review', s)]);
  write((t, s) => [meta(t, s, { source: 'weird' }), user('G weird', s)]);
  write((t, s) => [
    JSON.stringify({ timestamp: iso(s), type: 'session_meta', payload: { id: t, timestamp: iso(s), originator: 'o', cli_version: 'x' } }),
    user('H no cwd', s),
  ]); // a meta without cwd is no meta: not listed
  write((t, s) => [response('first', s), meta(t, s), user('I meta second', s)]);
  write((t, s) => [meta(t, s, { source: 'exec' }), meta(t, s, { source: 'cli' }), user('J two metas', s)]); // the first meta wins
  write(() => Buffer.alloc(0)); // empty file: not listed
  write((t, s) => [meta(t, s), user('M upper', s)], { name: `rollout-${stamp(at + 60)}-01A20F8B-0000-7000-8000-0000000000FF.jsonl`, s: at + 60 });
  const same = (at += 60);
  for (let i = 0; i < 3; i++) write((t, s) => [meta(t, s), user(`N tie ${i}`, s)], { s: same, mtime: same + 5 }); // ties by id
  write((t, s) => [meta(t, s), user('O wrong dir', s)], { dir: join(home, 'sessions', '2020', '01', '01') }); // folder order wins
  write((t, s) => [meta(t, s), user('P torn', s)], { torn: true });
  write((t, s) => [meta(t, s), '', '   ', user('Q blank lines', s)]);
  write((t, s) => [meta(t, s, { git: { commit_hash: 'abc', branch: 'main' } }), user('R git', s)]);
  write((t, s) => [meta(t, s, { timestamp: 'not a time' }), user('S bad ts', s)]); // createdAt 0
  write((t, s) => [meta(t, s, { forked_from_id: '01a20f8b-0000-7000-8000-000000000001' }), user('T fork', s)]);
  write((t, s) => [meta(t, s), JSON.stringify({ timestamp: iso(s), type: 'event_msg', payload: { type: 'user_message', message: '' } }), user('U second', s)]); // an empty first message is the preview
  write((t, s) => [meta(t, s), JSON.stringify({ timestamp: iso(s), type: 'event_msg', payload: { type: 'user_message' } }), user('V after bad', s)]);
  write((t, s) => Buffer.concat([Buffer.from(`${meta(t, s)}\n`), Buffer.from([0xff, 0x0a]), Buffer.from(`${user('K invalid UTF-8', s)}\n`)])); // not listed
};

type Row = [preview: string, createdAt: number, updatedAt: number, source: unknown, file: string];
const day = (name: string): string => `2026/11/24/rollout-${name}.jsonl`;
/** The reference's answer to `{limit: 100, modelProviders: [], sourceKinds: [cli, vscode, exec, appServer, subAgent, unknown]}`. */
const ALL: Row[] = [
  ['V after bad', 1_795_479_720, 1_795_479_820, 'vscode', day('2026-11-24T00-22-00-01a20f8b-0000-7000-8000-000000000025')],
  ['', 1_795_479_660, 1_795_479_760, 'vscode', day('2026-11-24T00-21-00-01a20f8b-0000-7000-8000-000000000024')],
  ['T fork', 1_795_479_600, 1_795_479_700, 'vscode', day('2026-11-24T00-20-00-01a20f8b-0000-7000-8000-000000000023')],
  ['S bad ts', 0, 1_795_479_640, 'vscode', day('2026-11-24T00-19-00-01a20f8b-0000-7000-8000-000000000022')],
  ['R git', 1_795_479_480, 1_795_479_580, 'vscode', day('2026-11-24T00-18-00-01a20f8b-0000-7000-8000-000000000021')],
  ['Q blank lines', 1_795_479_420, 1_795_479_520, 'vscode', day('2026-11-24T00-17-00-01a20f8b-0000-7000-8000-000000000020')],
  ['P torn', 1_795_479_360, 1_795_479_460, 'vscode', day('2026-11-24T00-16-00-01a20f8b-0000-7000-8000-000000000019')],
  ['M upper', 1_795_479_240, 1_795_479_340, 'vscode', day('2026-11-24T00-14-00-01A20F8B-0000-7000-8000-0000000000FF')],
  ['N tie 2', 1_795_479_240, 1_795_479_245, 'vscode', day('2026-11-24T00-14-00-01a20f8b-0000-7000-8000-000000000017')],
  ['N tie 1', 1_795_479_240, 1_795_479_245, 'vscode', day('2026-11-24T00-14-00-01a20f8b-0000-7000-8000-000000000016')],
  ['N tie 0', 1_795_479_240, 1_795_479_245, 'vscode', day('2026-11-24T00-14-00-01a20f8b-0000-7000-8000-000000000015')],
  ['J two metas', 1_795_479_120, 1_795_479_220, 'exec', day('2026-11-24T00-12-00-01a20f8b-0000-7000-8000-000000000012')],
  ['I meta second', 1_795_479_060, 1_795_479_160, 'vscode', day('2026-11-24T00-11-00-01a20f8b-0000-7000-8000-000000000011')],
  ['G weird', 1_795_478_940, 1_795_479_040, 'unknown', day('2026-11-24T00-09-00-01a20f8b-0000-7000-8000-000000000009')],
  ['G review', 1_795_478_880, 1_795_478_980, { subAgent: 'review' }, day('2026-11-24T00-08-00-01a20f8b-0000-7000-8000-000000000008')],
  ['G mcp', 1_795_478_820, 1_795_478_920, 'appServer', day('2026-11-24T00-07-00-01a20f8b-0000-7000-8000-000000000007')],
  ['F no provider', 1_795_478_760, 1_795_478_860, 'vscode', day('2026-11-24T00-06-00-01a20f8b-0000-7000-8000-000000000006')],
  ['C late', 1_795_478_580, 1_795_478_680, 'vscode', day('2026-11-24T00-03-00-01a20f8b-0000-7000-8000-000000000003')],
  ['do X', 1_795_478_520, 1_795_478_620, 'vscode', day('2026-11-24T00-02-00-01a20f8b-0000-7000-8000-000000000002')],
  ['EVENT TEXT', 1_795_478_460, 1_795_478_560, 'vscode', day('2026-11-24T00-01-00-01a20f8b-0000-7000-8000-000000000001')],
  ['O wrong dir', 1_795_479_300, 1_795_479_400, 'vscode', '2020/01/01/rollout-2026-11-24T00-15-00-01a20f8b-0000-7000-8000-000000000018.jsonl'],
];
/** The reference's `updated_at` order of the interactive ones (its answer to `{sortKey: 'updated_at', modelProviders: ['openai']}`). */
const UPDATED = ['V after bad', '', 'T fork', 'S bad ts', 'R git', 'Q blank lines', 'P torn', 'O wrong dir', 'M upper', 'N tie 2', 'N tie 1', 'N tie 0', 'I meta second', 'F no provider', 'C late', 'do X', 'EVENT TEXT'];

describe('thread listing of odd rollouts, as the reference lists them', () => {
  let home: string;
  let index: ThreadIndex;
  before(() => {
    home = mkdtempSync(join(tmpdir(), 'rxagent-edge-'));
    writeCases(home);
    index = new ThreadIndex({ codexHome: home, watch: false });
  });
  after(() => {
    index.close();
    rmSync(home, { recursive: true, force: true });
  });

  const query = (overrides: Partial<IndexQuery>): IndexQuery => ({
    archived: false,
    sortKey: 'created_at',
    pageSize: 100,
    cursor: null,
    sources: [],
    modelProviders: null,
    defaultProvider: 'openai',
    ...overrides,
  });

  it('lists the same threads with the same summaries, in the same order', async () => {
    const page = await index.page(query({ sources: sourceFilters(['cli', 'vscode', 'exec', 'appServer', 'subAgent', 'unknown']).scan }));
    const rows: Row[] = page.items.map((item) => [
      item.summary.preview!,
      item.summary.meta!.createdAt,
      item.updatedAt,
      item.summary.meta!.source,
      item.path.slice(join(home, 'sessions').length + 1),
    ]);
    expect(rows).to.deep.equal(ALL);
    expect(page.next).to.equal(null);
  });

  it('orders the interactive ones by last write the same way', async () => {
    const page = await index.page(query({ sortKey: 'updated_at', sources: ['cli', 'vscode'], modelProviders: ['openai'] }));
    expect(page.items.map((item) => item.summary.preview)).to.deep.equal(UPDATED);
  });
});
