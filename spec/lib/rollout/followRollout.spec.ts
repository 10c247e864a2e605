import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, renameSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Subscription } from 'rxjs';
import type { RolloutLine } from '../../../lib/rollout/rolloutLine.js';
import { readRolloutAt, RolloutReadError, type RolloutReadStats } from '../../../lib/rollout/rolloutReader.js';
import type { PositionedLine } from '../../../lib/rollout/storedLines.js';

const line = (payload: Record<string, unknown>, type = 'event_msg'): string => JSON.stringify({ timestamp: '2026-02-12T19:27:11.532Z', type, payload });
const META = line({ id: 'x', timestamp: '2026-02-12T19:27:09.118Z', cwd: '/p', originator: 'o', cli_version: '0.101.0' }, 'session_meta');
const agent = (message: string): string => line({ type: 'agent_message', message });
const messageOf = (l: RolloutLine): unknown => (l.payload as { message?: unknown }).message;

/** A follower of `path`: what it has emitted, and promises for the nth line, completion and failure. */
const follow = (path: string) => {
  const seen: PositionedLine[] = [];
  const waiters: Array<{ count: number; resolve: () => void }> = [];
  let stats: RolloutReadStats | undefined;
  let settle!: (outcome: { completed: true } | { error: unknown }) => void;
  const ended = new Promise<{ completed: true } | { error: unknown }>((resolve) => (settle = resolve));
  const subscription: Subscription = readRolloutAt(path, { follow: true, warn: () => undefined, onStats: (s) => (stats = s) }).subscribe({
    next: (positioned) => {
      seen.push(positioned);
      for (const waiter of waiters.filter((w) => seen.length >= w.count)) waiter.resolve();
    },
    complete: () => settle({ completed: true }),
    error: (error: unknown) => settle({ error }),
  });
  const lines = (count: number): Promise<string[]> =>
    new Promise<void>((resolve) => (seen.length >= count ? resolve() : waiters.push({ count, resolve }))).then(() =>
      seen.map((p) => String(messageOf(p.line) ?? p.line.type)),
    );
  return { seen, lines, ended, subscription, stats: () => stats };
};

describe('readRolloutAt with follow', () => {
  let dir: string;
  let path: string;
  const followers: Array<{ subscription: Subscription }> = [];
  const following = (p: string) => {
    const f = follow(p);
    followers.push(f);
    return f;
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rxagent-follow-'));
    path = join(dir, 'rollout.jsonl');
    writeFileSync(path, `${META}\n${agent('one')}\n`);
  });
  afterEach(() => {
    for (const f of followers.splice(0)) f.subscription.unsubscribe();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads what is there, then each line appended, and does not complete at the end', async () => {
    const f = following(path);
    expect(await f.lines(2)).to.deep.equal(['session_meta', 'one']);
    appendFileSync(path, `${agent('two')}\n`);
    expect(await f.lines(3)).to.deep.equal(['session_meta', 'one', 'two']);
    appendFileSync(path, `${agent('three')}\n${agent('four')}\n`);
    expect(await f.lines(5)).to.deep.equal(['session_meta', 'one', 'two', 'three', 'four']);
    expect(f.subscription.closed).to.equal(false);
  });

  it('gives appended lines their place in the file, as a whole read would', async () => {
    const f = following(path);
    await f.lines(2);
    appendFileSync(path, `${agent('two')}\r\n${agent('é😀')}\n`);
    await f.lines(4);
    const bytes = readFileSync(path);
    for (const { at, text } of f.seen) expect(bytes.subarray(at.offset, at.offset + at.length).toString('utf8').replace(/\r$/, '')).to.equal(text);
  });

  it('emits a line written in pieces once, whole, when its end arrives', async () => {
    const f = following(path);
    await f.lines(2);
    const whole = agent('split across writes');
    appendFileSync(path, whole.slice(0, 20));
    appendFileSync(path, whole.slice(20));
    appendFileSync(path, `\n${agent('after')}\n`);
    expect(await f.lines(4)).to.deep.equal(['session_meta', 'one', 'split across writes', 'after']);
    f.subscription.unsubscribe();
    expect(f.stats()).to.deep.include({ undecodable: 0, tornTail: false });
  });

  it('completes once the rollout is moved away (archived), after the lines written before', async () => {
    const f = following(path);
    await f.lines(2);
    appendFileSync(path, `${agent('last')}\n`);
    renameSync(path, join(dir, 'archived.jsonl'));
    expect(await f.ended).to.deep.equal({ completed: true });
    expect(f.seen.map((p) => messageOf(p.line) ?? p.line.type)).to.deep.equal(['session_meta', 'one', 'last']);
  });

  it('errors when the file shrinks, and when there is no file', async () => {
    const f = following(path);
    await f.lines(2);
    truncateSync(path, 10);
    const outcome = (await f.ended) as { error: RolloutReadError };
    expect(outcome.error).to.be.instanceOf(RolloutReadError);
    expect(outcome.error.kind).to.equal('io');
    expect(outcome.error.message).to.match(/shrank/);
    const missing = (await following(join(dir, 'nope.jsonl')).ended) as { error: RolloutReadError };
    expect(missing.error.kind).to.equal('notFound');
  });

  it('leaves nothing behind once unsubscribed: the process can exit', async () => {
    const reader = new URL('../../../lib/rollout/rolloutReader.js', import.meta.url).href;
    const script = `
      import { readRolloutAt } from ${JSON.stringify(reader)};
      import { take } from 'rxjs';
      readRolloutAt(${JSON.stringify(path)}, { follow: true }).pipe(take(2)).subscribe({ complete: () => process.stdout.write('done') });
    `;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect({ code, out }).to.deep.equal({ code: 0, out: 'done' });
  });
});
