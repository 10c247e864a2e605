import { expect } from 'chai';
import { dirname } from 'node:path';
import { distinctUntilChanged, lastValueFrom, map, scan, toArray } from 'rxjs';
import { recordedInitialContext } from '../../lib/replay/recordedState.js';
import { RolloutReadError } from '../../lib/rollout/rolloutReader.js';
import { threadTurns } from '../../reducers/threadReducer.js';
import { openThread } from '../../streams/openThread.js';
import { loadRollout } from '../../streams/replay.js';
import { rolloutFiles, rolloutLines, scenarios } from '../reducers/referenceFixtures.js';

const quiet = { warn: () => undefined };

/** The README's custom view: a running count of turns and tool calls, with plain RxJS operators. */
const TOOL_CALLS = new Set(['function_call', 'custom_tool_call', 'local_shell_call', 'web_search_call']);

const turnAndToolCounts = (rollout: string) =>
  openThread(rollout).events$.pipe(
    scan(
      (counts, line) => ({
        turns: counts.turns + (line.type === 'event_msg' && line.payload.type === 'task_started' ? 1 : 0),
        toolCalls: counts.toolCalls + (line.type === 'response_item' && TOOL_CALLS.has(line.payload.type) ? 1 : 0),
      }),
      { turns: 0, toolCalls: 0 },
    ),
    distinctUntilChanged((a, b) => a.turns === b.turns && a.toolCalls === b.toolCalls),
    map(({ turns, toolCalls }) => `${turns} turns, ${toolCalls} tool calls`),
  );

const error = async (promise: Promise<unknown>): Promise<unknown> =>
  promise.then(
    () => {
      throw new Error('expected a failure');
    },
    (err: unknown) => err,
  );

describe('openThread', () => {
  it('builds a custom view with plain RxJS: a running count of turns and tool calls', async () => {
    const [path] = rolloutFiles('shell-approval-accept') as [string];
    expect(await lastValueFrom(turnAndToolCounts(path).pipe(toArray()))).to.deep.equal([
      '0 turns, 0 tool calls',
      '1 turns, 0 tool calls',
      '1 turns, 1 tool calls',
    ]);
  });

  it('state$ drives a view of the folded state: the number of turns as thread/read would list them', async () => {
    const [path] = rolloutFiles('thread-rollback') as [string];
    const counts = openThread(path).state$.pipe(
      map(({ thread }) => threadTurns(thread).length),
      distinctUntilChanged(),
      toArray(),
    );
    // Two turns, a rollback of one, a third, then a rollback of all.
    expect(await lastValueFrom(counts)).to.deep.equal([0, 1, 2, 1, 2, 0]);
  });

  for (const scenario of scenarios()) {
    for (const path of rolloutFiles(scenario)) {
      it(`${scenario}/${path.slice(-12)}: events$ is the file's lines and state$ ends in the state loadRollout folds (thread/read's)`, async () => {
        const { events$, state$ } = openThread(path, quiet);
        expect(await lastValueFrom(events$.pipe(toArray()))).to.deep.equal(rolloutLines(path));
        const loaded = await lastValueFrom(loadRollout(path, { ...quiet, initialContext: await recordedInitialContext(path) }));
        expect(await lastValueFrom(state$)).to.deep.equal(loaded);
      });
    }
  }

  it('opens a thread by id under codexHome, and fails for an unknown id', async () => {
    const [path] = rolloutFiles('turn-basic') as [string];
    const codexHome = dirname(dirname(dirname(dirname(dirname(path)))));
    const id = (rolloutLines(path)[0]?.payload as { id: string }).id;
    expect(await lastValueFrom(openThread(id, { codexHome }).events$.pipe(toArray()))).to.deep.equal(rolloutLines(path));
    const missing = await error(lastValueFrom(openThread('01a20f8b-0000-7000-8000-000000000000', { codexHome }).state$));
    expect(missing).to.be.instanceOf(RolloutReadError);
    expect((missing as RolloutReadError).kind).to.equal('notFound');
  });

  it('is cold: nothing is read until a stream is subscribed', async () => {
    const { events$ } = openThread('/nonexistent/rollout.jsonl');
    const failure = await error(lastValueFrom(events$));
    expect(failure).to.be.instanceOf(RolloutReadError);
    expect((failure as RolloutReadError).message).to.equal('rollout file not found: /nonexistent/rollout.jsonl');
  });

  it("is what the package exports: import { openThread } from 'rxagent'", async () => {
    const pkg = 'rxagent'; // resolved at run time through package.json `exports`, as a user's import is
    const lib = (await import(pkg)) as Record<string, unknown>;
    for (const name of ['openThread', 'toNotifications', 'replay', 'loadRollout', 'threadReducer', 'threadTurns', 'historyReducer', 'rolloutReducer', 'taggedBlocks']) {
      expect(lib[name], name).to.be.a('function');
    }
    expect(lib.openThread).to.equal(openThread);
  });
});
