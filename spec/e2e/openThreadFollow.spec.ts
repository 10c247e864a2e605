import { expect } from 'chai';
import { filter, firstValueFrom, lastValueFrom, map, toArray } from 'rxjs';
import { threadTurns } from '../../reducers/threadReducer.js';
import { openThread } from '../../streams/openThread.js';
import { cleanupTurnHarnesses, resultOf, startThread, startTurn, startTurnHarness, text, turnCompleted } from '../support/turnHarness.js';

const reply = (value: string, id: string) => ({ output: [{ type: 'message' as const, id, text: value }] });

describe('openThread with follow, on a thread a server is running (stdio, mock model)', () => {
  afterEach(cleanupTurnHarnesses);

  it('replays the rollout, then shows each turn as the server writes it, and ends when the thread is archived', async () => {
    const h = await startTurnHarness([reply('First answer.', 'msg-1'), reply('Second answer.', 'msg-2')]);
    const { threadId } = await startThread(h);
    await turnCompleted(h, (await startTurn(h, threadId, [text('first')])).turnId);

    const { state$, events$ } = openThread(threadId, { codexHome: h.codexHome, follow: true, warn: () => undefined });
    const turns$ = state$.pipe(map(({ thread }) => threadTurns(thread)));
    // A turn counts once it has its answer and is marked completed (a state mid-turn may show neither).
    const answered = (turn: ReturnType<typeof threadTurns>[number]): boolean => turn.status === 'completed' && turn.items.some((i) => i.type === 'agentMessage');
    const completedTurns = (count: number) => firstValueFrom(turns$.pipe(filter((turns) => turns.length === count && turns.every(answered))));
    // Subscribed before the second turn starts, so it sees the replay, then the live lines.
    const twoTurns = completedTurns(2);
    const taskEvents = lastValueFrom(
      events$.pipe(
        map((line) => (line.type === 'event_msg' ? line.payload.type : null)),
        filter((type) => type === 'task_started' || type === 'task_complete'),
        toArray(),
      ),
    );
    expect((await completedTurns(1)).map((t) => t.items.map((i) => i.type))).to.deep.equal([['userMessage', 'agentMessage']]);

    const { turnId } = await startTurn(h, threadId, [text('second')]);
    const turns = await twoTurns;
    expect(turns[1]!.id).to.equal(turnId);
    expect(turns[1]!.items.at(-1)).to.deep.include({ type: 'agentMessage', text: 'Second answer.' });
    await turnCompleted(h, turnId);

    resultOf(await h.client.request('thread/archive', { threadId }));
    expect(await taskEvents).to.deep.equal(['task_started', 'task_complete', 'task_started', 'task_complete']);
  });
});
