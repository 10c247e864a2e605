import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { distinctUntilChanged, firstValueFrom, lastValueFrom, scan, toArray } from 'rxjs';
import { RolloutReadError } from '../../lib/rollout/rolloutReader.js';
import { historyEntries } from '../../reducers/historyReducer.js';
import { initialRolloutState, rolloutReducer } from '../../reducers/rolloutReducer.js';
import { threadTurns } from '../../reducers/threadReducer.js';
import { loadRollout, replay, RolloutLoadError } from '../../streams/replay.js';
import { rolloutFiles, rolloutLines } from '../reducers/referenceFixtures.js';

const quiet = { warn: () => undefined };

const loadError = async (path: string): Promise<Error> => {
  try {
    await firstValueFrom(loadRollout(path, quiet));
  } catch (error) {
    return error as Error;
  }
  throw new Error(`loading ${path} did not fail`);
};

describe('replay', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rxagent-replay-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('is cold: nothing is opened before subscribing, and each subscription reads the file anew', async () => {
    const [path] = rolloutFiles('turn-basic') as [string];
    const missing = replay(join(dir, 'not-yet.jsonl'), quiet); // no error until subscribed
    const lines$ = replay(path, quiet);
    const [first, second] = [await lastValueFrom(lines$.pipe(toArray())), await lastValueFrom(lines$.pipe(toArray()))];
    expect(first).to.deep.equal(rolloutLines(path));
    expect(second).to.deep.equal(first);
    writeFileSync(join(dir, 'not-yet.jsonl'), '');
    expect(await lastValueFrom(missing.pipe(toArray()))).to.deep.equal([]);
  });

  it('drives a live view: scan + distinctUntilChanged emits only when the state changes', async () => {
    const [path] = rolloutFiles('turn-basic') as [string];
    const states = await lastValueFrom(replay(path, quiet).pipe(scan(rolloutReducer, initialRolloutState()), distinctUntilChanged(), toArray()));
    expect(states.length).to.be.greaterThan(1);
    expect(states.length).to.be.at.most(rolloutLines(path).length);
    expect(threadTurns((states[states.length - 1] as (typeof states)[number]).thread).map((t) => t.items.length)).to.deep.equal([2]);
  });
});

describe('loadRollout', () => {
  let dir: string;
  const file = (name: string, content: string): string => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  };
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rxagent-load-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('folds a reference rollout into the thread, its history and its summary', async () => {
    const [path] = rolloutFiles('thread-compact') as [string];
    const lines = rolloutLines(path);
    const initialContext = lines.slice(1, 4).flatMap((line) => (line.type === 'response_item' ? [line.payload] : []));
    const state = await firstValueFrom(loadRollout(path, { ...quiet, initialContext }));
    expect(threadTurns(state.thread).map((t) => t.items.length)).to.deep.equal([2, 0, 2]);
    expect(historyEntries(state.history)).to.have.length(7); // 3 initial context, FIRST question, summary, SECOND question, answer
    expect(state.summary.preview).to.equal('FIRST question');
  });

  it('fails like the reference for an empty file, or one with only blank lines', async () => {
    for (const content of ['', '\n  \n\n']) {
      const error = await loadError(file('empty.jsonl', content));
      expect(error).to.be.instanceOf(RolloutLoadError);
      expect((error as RolloutLoadError).kind).to.equal('empty');
      expect(error.message).to.equal('empty session file');
    }
  });

  it('fails like the reference for a file without session_meta', async () => {
    const line = JSON.stringify({ timestamp: '2026-02-12T19:27:11.532Z', type: 'event_msg', payload: { type: 'agent_message', message: 'hi' } });
    for (const content of [`${line}\n`, 'garbage\n']) {
      const error = await loadError(file('no-meta.jsonl', content));
      expect((error as RolloutLoadError).kind).to.equal('noSessionMeta');
      expect(error.message).to.equal('failed to parse thread ID from rollout file');
    }
  });

  it('passes a read failure through', async () => {
    const error = await loadError(join(dir, 'missing.jsonl'));
    expect(error).to.be.instanceOf(RolloutReadError);
    expect((error as RolloutReadError).kind).to.equal('notFound');
  });
});
