import { expect } from 'chai';
import fc from 'fast-check';
import { writeFileSync } from 'node:fs';
import { lastValueFrom, reduce } from 'rxjs';
import type { ResponseItem } from '../../../lib/protocol/index.js';
import { readRollout, RolloutReadError } from '../../../lib/rollout/rolloutReader.js';
import { RolloutLine } from '../../../lib/rollout/rolloutLine.js';
import { historyForPrompt } from '../../../lib/threads/promptHistory.js';
import { historyEntries, initialHistory, promptEntries, STORED_ITEM_MIN_BYTES } from '../../../reducers/historyReducer.js';
import { initialRolloutState, rolloutReducer } from '../../../reducers/rolloutReducer.js';
import { loadRollout } from '../../../streams/replay.js';
import { assistantItem, compacted, developerItem, item, meta, rolledBack, userItem } from '../../reducers/lineBuilders.js';
import { rolloutFiles, scenarios } from '../../reducers/referenceFixtures.js';
import { TempTree } from '../../support/tempTree.js';

/** The history of the next request as the live server folds it: every item in memory. */
const inMemoryPrompt = async (path: string, initialContext: ResponseItem[] = []): Promise<ResponseItem[]> => {
  const state = await lastValueFrom(readRollout(path, { warn: () => undefined }).pipe(reduce(rolloutReducer, initialRolloutState(initialHistory(initialContext)))));
  return promptEntries(state.history).map((entry) => {
    if (entry.type === 'stored') throw new Error('an in-memory fold stored an item');
    return entry;
  });
};

const loadedHistory = async (path: string, initialContext: ResponseItem[] = []) =>
  (await lastValueFrom(loadRollout(path, { initialContext, warn: () => undefined }))).history;

const encode = (line: RolloutLine): string => JSON.stringify(RolloutLine.encode(line));

const CONTEXT: ResponseItem[] = [{ type: 'message', role: 'developer', content: [{ type: 'input_text', text: 'sandbox: read-only' }] }];

describe('historyForPrompt over a loaded rollout', () => {
  let tree: TempTree;
  beforeEach(() => (tree = new TempTree()));
  afterEach(() => tree.remove());

  it('gives, for every reference fixture rollout, the items the in-memory fold gives', async () => {
    for (const path of scenarios().flatMap(rolloutFiles)) {
      expect(await historyForPrompt(await loadedHistory(path, CONTEXT)), path).to.deep.equal(await inMemoryPrompt(path, CONTEXT));
    }
  });

  it('keeps large items in the file and small ones and user messages in memory, and reads them back as they were', async () => {
    const big = 'b'.repeat(STORED_ITEM_MIN_BYTES);
    const lines = [
      meta(),
      developerItem(`instructions ${big}`),
      userItem(`a long question ${big}`),
      item({ type: 'function_call', name: 'exec_command', arguments: JSON.stringify({ cmd: big }), call_id: 'c1' }),
      item({ type: 'function_call_output', call_id: 'c1', output: { body: `out ${big}` } }),
      item({ type: 'reasoning', id: '', summary: [{ type: 'summary_text', text: 'thinking' }], encrypted_content: big }),
      assistantItem('short answer'),
    ];
    const path = tree.path('rollout.jsonl');
    writeFileSync(path, `${lines.map(encode).join('\n')}\n`);
    const history = await loadedHistory(path);
    expect(history.source).to.equal(path);
    expect(historyEntries(history).map((entry) => (entry.type === 'stored' ? `stored ${entry.itemType}` : entry.type))).to.deep.equal([
      'stored message',
      'message',
      'stored function_call',
      'stored function_call_output',
      'stored reasoning',
      'message',
    ]);
    expect(await historyForPrompt(history)).to.deep.equal(await inMemoryPrompt(path));
  });

  it('gives the in-memory fold’s items for any rollout of large and small items, rollbacks and compactions', async () => {
    const size = fc.constantFrom(0, 10, STORED_ITEM_MIN_BYTES - 120, STORED_ITEM_MIN_BYTES, 5000);
    const text = fc.tuple(fc.constantFrom('q', 'é😀', '<environment_context>'), size).map(([head, n]) => head + 'x'.repeat(n));
    const line: fc.Arbitrary<RolloutLine> = fc.oneof(
      text.map(userItem),
      text.map(assistantItem),
      text.map(developerItem),
      text.map((t) => item({ type: 'function_call_output', call_id: 'c', output: { body: t } })),
      text.map((t) => item({ type: 'reasoning', id: '', summary: [], encrypted_content: t })),
      text.map((t) => item({ type: 'ghost_snapshot', ghost_commit: { id: t, preexisting_untracked_dirs: [], preexisting_untracked_files: [] } } as ResponseItem)),
      fc.constant(item({ type: 'other' })),
      fc.nat({ max: 3 }).map(rolledBack),
      text.map((t) => compacted(t)),
      text.map((t) => compacted('', [{ type: 'message', role: 'assistant', content: [{ type: 'output_text', text: `replaced ${t}` }] }])),
    );
    const ending = fc.constantFrom('\n', '\r\n', '\n\n', '\nnot json\n');
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(line, ending), { maxLength: 25 }), async (body) => {
        const path = tree.path(`rollout-${run++}.jsonl`);
        writeFileSync(path, `${encode(meta())}\n${body.map(([l, end]) => encode(l) + end).join('')}`);
        const history = await loadedHistory(path, CONTEXT);
        // A compaction's replacement history is part of its line, so it stays in memory.
        for (const entry of historyEntries(history)) {
          if (entry.type !== 'stored' && !(entry.type === 'message' && entry.role === 'user') && !JSON.stringify(entry).includes('replaced ')) {
            expect(JSON.stringify(entry).length).to.be.below(STORED_ITEM_MIN_BYTES + 100);
          }
        }
        expect(await historyForPrompt(history)).to.deep.equal(await inMemoryPrompt(path, CONTEXT));
      }),
      { numRuns: 150 },
    );
  });

  it('fails with a RolloutReadError when the file no longer holds a stored item', async () => {
    const path = tree.path('rollout.jsonl');
    writeFileSync(path, `${[meta(), assistantItem('a'.repeat(4000))].map(encode).join('\n')}\n`);
    const history = await loadedHistory(path);
    writeFileSync(path, `${[meta(), item({ type: 'function_call_output', call_id: 'c', output: { body: 'o'.repeat(4000) } })].map(encode).join('\n')}\n`);
    const failure = await historyForPrompt(history).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).to.be.instanceOf(RolloutReadError);
    expect((failure as Error).message).to.match(/changed under a loaded thread: (no (JSON line|rollout line|message item)|the file ends) at byte \d+/);
  });
});
