import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { firstValueFrom, lastValueFrom, take, toArray } from 'rxjs';
import { readRollout, RolloutReadError, type RolloutReadOptions, type RolloutReadStats } from '../../../lib/rollout/rolloutReader.js';
import { rolloutFiles } from '../../reducers/referenceFixtures.js';

const line = (payload: Record<string, unknown>, type = 'event_msg'): string => JSON.stringify({ timestamp: '2026-02-12T19:27:11.532Z', type, payload });
const META = line({ id: 'x', timestamp: '2026-02-12T19:27:09.118Z', cwd: '/p', originator: 'o', cli_version: '0.101.0' }, 'session_meta');
const agent = (message: string): string => line({ type: 'agent_message', message });

const read = async (path: string, options: RolloutReadOptions = {}) => {
  const warnings: string[] = [];
  let stats: RolloutReadStats | undefined;
  const lines = await lastValueFrom(
    readRollout(path, { ...options, warn: (message) => warnings.push(message), onStats: (s) => (stats = s) }).pipe(toArray()),
  );
  return { lines, warnings, stats: stats as RolloutReadStats };
};

const readError = async (path: string): Promise<RolloutReadError> => {
  try {
    await lastValueFrom(readRollout(path, { warn: () => undefined }).pipe(toArray()));
  } catch (error) {
    expect(error).to.be.instanceOf(RolloutReadError);
    return error as RolloutReadError;
  }
  throw new Error(`reading ${path} did not fail`);
};

describe('readRollout', () => {
  let dir: string;
  const file = (name: string, content: string | Buffer): string => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rxagent-rollout-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('streams every line of a reference rollout, in order', async () => {
    const [path] = rolloutFiles('thread-rollback') as [string];
    const { lines, warnings, stats } = await read(path);
    const expected = readFileSync(path, 'utf8').trimEnd().split('\n').map((text) => JSON.parse(text).type);
    expect(lines.map((l) => l.type)).to.deep.equal(expected);
    expect(stats).to.deep.include({ lines: expected.length, decoded: expected.length, undecodable: 0, tornTail: false });
    expect(warnings).to.deep.equal([]);
  });

  it('yields the same lines for any chunk size, multi-byte characters split across chunks included', async () => {
    const path = file('utf8.jsonl', [META, agent('é😀中文 — ünïcödé'), agent('😀'.repeat(50)), agent('end')].join('\n') + '\n');
    const { lines: whole } = await read(path);
    expect(whole.map((l) => (l.type === 'event_msg' && l.payload.type === 'agent_message' ? l.payload.message : l.type))).to.deep.equal([
      'session_meta',
      'é😀中文 — ünïcödé',
      '😀'.repeat(50),
      'end',
    ]);
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 97 }), async (chunkBytes) => {
        expect((await read(path, { chunkBytes })).lines).to.deep.equal(whole);
      }),
      { numRuns: 40 },
    );
  });

  it('skips a torn last line (a write cut mid-line), keeps every earlier line, and says so once', async () => {
    const torn = agent('cut off here');
    const path = file('torn.jsonl', `${META}\n${agent('one')}\n${torn.slice(0, torn.length / 2)}`);
    const { lines, warnings, stats } = await read(path);
    expect(lines).to.have.length(2);
    expect(stats).to.deep.include({ lines: 3, decoded: 2, undecodable: 0, tornTail: true });
    expect(warnings).to.have.length(1);
    expect(warnings[0]).to.contain('torn final line');
  });

  it('reads a complete last line that lacks only its newline', async () => {
    const { lines, warnings } = await read(file('unterminated.jsonl', `${META}\n${agent('last')}`));
    expect(lines).to.have.length(2);
    expect(warnings).to.deep.equal([]);
  });

  it('skips garbage lines, counts them, and warns once naming the first', async () => {
    const path = file('garbage.jsonl', [META, 'not json at all', '{"timestamp":"t","type":"mystery","payload":{}}', agent('ok'), '[1,2'].join('\n') + '\n');
    const { lines, warnings, stats } = await read(path);
    expect(lines.map((l) => l.type)).to.deep.equal(['session_meta', 'event_msg']);
    expect(stats).to.deep.include({ lines: 5, decoded: 2, undecodable: 3, tornTail: false });
    expect(warnings).to.have.length(1);
    expect(warnings[0]).to.contain('skipped 3 undecodable line(s), first at line 2: not JSON');
  });

  it('skips blank lines without a warning', async () => {
    const { lines, warnings, stats } = await read(file('blank.jsonl', `\n${META}\n   \n\r\n${agent('a')}\n\n`));
    expect(lines).to.have.length(2);
    expect(stats).to.deep.include({ blank: 4, undecodable: 0 });
    expect(warnings).to.deep.equal([]);
  });

  it('completes without lines for an empty file', async () => {
    const { lines, warnings, stats } = await read(file('empty.jsonl', ''));
    expect(lines).to.deep.equal([]);
    expect(warnings).to.deep.equal([]);
    expect(stats).to.deep.include({ lines: 0, decoded: 0 });
  });

  it('reads a file without session_meta like any other (deciding what it means is the loader’s job)', async () => {
    const { lines } = await read(file('no-meta.jsonl', `${agent('a')}\n${agent('b')}\n`));
    expect(lines.map((l) => l.type)).to.deep.equal(['event_msg', 'event_msg']);
  });

  it('skips a 20 MiB line with a warning and reads the lines around it', async function () {
    this.timeout(60_000);
    const huge = agent('x'.repeat(20 * 1024 * 1024));
    const path = file('huge.jsonl', `${META}\n${huge}\n${agent('after')}\n`);
    const { lines, warnings, stats } = await read(path);
    expect(lines.map((l) => (l.type === 'event_msg' && l.payload.type === 'agent_message' ? l.payload.message : l.type))).to.deep.equal(['session_meta', 'after']);
    expect(stats).to.deep.include({ lines: 3, decoded: 2, oversized: 1, undecodable: 0 });
    expect(warnings).to.deep.equal([`rollout ${path}: skipped line 2 of ${huge.length} bytes (limit ${16 * 1024 * 1024})`]);
  });

  it('fails with notFound for a missing file', async () => {
    const path = join(dir, 'missing.jsonl');
    const error = await readError(path);
    expect(error.kind).to.equal('notFound');
    expect(error.message).to.equal(`rollout file not found: ${path}`);
  });

  it('fails with notAFile for a directory', async () => {
    const path = join(dir, 'sub');
    mkdirSync(path);
    expect((await readError(path)).kind).to.equal('notAFile');
  });

  it('fails with permissionDenied for a file it may not read', async () => {
    const path = file('secret.jsonl', `${META}\n`);
    chmodSync(path, 0o000);
    if (process.getuid?.() !== 0) {
      expect((await readError(path)).kind).to.equal('permissionDenied');
      return;
    }
    // Root reads any file: the read runs in a child that stays root but loses the capabilities
    // that bypass file modes (setpriv, util-linux).
    const reader = new URL('../../../lib/rollout/rolloutReader.js', import.meta.url).href;
    const script = `import { readRollout } from ${JSON.stringify(reader)};
      readRollout(${JSON.stringify(path)}, { warn: () => {} }).subscribe({ error: (e) => console.log(e.kind), complete: () => console.log('read it') });`;
    const kind = execFileSync('setpriv', ['--bounding-set=-dac_override,-dac_read_search', process.execPath, '--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(kind.trim()).to.equal('permissionDenied');
  });

  it('stops reading and closes the file when unsubscribed early', async () => {
    const path = file('long.jsonl', [META, ...Array.from({ length: 5000 }, (_, i) => agent(`line ${i}`))].join('\n'));
    const handles = (): number => process.getActiveResourcesInfo().filter((r) => r === 'FileHandle').length;
    const before = handles();
    let stats: RolloutReadStats | undefined;
    const first = await firstValueFrom(readRollout(path, { chunkBytes: 1024, onStats: (s) => (stats = s) }).pipe(take(1)));
    expect(first.type).to.equal('session_meta');
    expect(stats?.lines).to.be.lessThan(100);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(handles()).to.equal(before);
  });
});
