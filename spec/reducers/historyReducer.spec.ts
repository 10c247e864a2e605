import { expect } from 'chai';
import type { ResponseItem } from '../../lib/protocol/index.js';
import type { RolloutLine } from '../../lib/rollout/rolloutLine.js';
import { rebuildCompactedHistory } from '../../reducers/compactedHistory.js';
import { historyEntries, historyReducer, initialHistory, promptEntries, type ModelHistory } from '../../reducers/historyReducer.js';
import { approxTokenCount, truncateToTokens } from '../../reducers/tokenBudget.js';
import { realUserMessageText } from '../../reducers/userMessages.js';
import { assistantItem, compacted, developerItem, item, meta, rolledBack, turn, turnContext, userItem, userMsg } from './lineBuilders.js';

const INITIAL: ResponseItem[] = [
  { type: 'message', role: 'developer', content: [{ type: 'input_text', text: '<permissions instructions>…' }] },
  { type: 'message', role: 'user', content: [{ type: 'input_text', text: '# AGENTS.md instructions for /p\n\n<INSTRUCTIONS>…' }] },
  { type: 'message', role: 'user', content: [{ type: 'input_text', text: '<environment_context>…</environment_context>' }] },
];
const initialLines: RolloutLine[] = INITIAL.map(item);

const fold = (lines: RolloutLine[], from: ModelHistory = initialHistory(INITIAL)): ModelHistory => lines.reduce(historyReducer, from);

/** A compact picture of a history: `role:text` per message, the type otherwise. */
const texts = (history: ModelHistory): string[] =>
  historyEntries(history).map((i) => (i.type === 'message' ? `${i.role}:${i.content.map((c) => ('text' in c ? c.text : c.type)).join('')}` : i.type));

const threeTurns: RolloutLine[] = [meta(), ...initialLines, ...turn('t1', 'Q1', 'A1'), ...turn('t2', 'Q2', 'A2'), ...turn('t3', 'Q3', 'A3')];
const initialTexts = texts(fold(initialLines));

describe('historyReducer', () => {
  it('appends response items in order and ignores events, metadata and turn contexts', () => {
    expect(texts(fold([meta(), ...initialLines, ...turn('t1', 'Q1', 'A1'), turnContext('m')]))).to.deep.equal([...initialTexts, 'user:Q1', 'assistant:A1']);
  });

  it('does not record system messages or unknown item types (the reference drops them too)', () => {
    const history = fold([]);
    expect(historyReducer(history, item({ type: 'message', role: 'system', content: [{ type: 'input_text', text: 's' }] }))).to.equal(history);
    expect(historyReducer(history, item({ type: 'other' }))).to.equal(history);
    expect(historyReducer(history, userMsg('only the client sees this event'))).to.equal(history);
  });

  it('keeps ghost snapshots in the history but leaves them out of the prompt', () => {
    const ghost: ResponseItem = { type: 'ghost_snapshot', ghost_commit: { id: 'g', preexisting_untracked_dirs: [], preexisting_untracked_files: [] } };
    const history = fold([...initialLines, userItem('Q'), item(ghost)]);
    expect(historyEntries(history)).to.have.length(5);
    expect(promptEntries(history).map((i) => i.type)).to.deep.equal(['message', 'message', 'message', 'message']);
  });

  describe('compacted', () => {
    it('replaces the history with replacement_history when present (remote compaction)', () => {
      const replacement: ResponseItem[] = [{ type: 'compaction', encrypted_content: 'enc' }, ...INITIAL.slice(0, 1)];
      expect(historyEntries(fold([...threeTurns, compacted('', replacement)]))).to.deep.equal(replacement);
    });

    it('otherwise rebuilds initial context + earlier user messages + summary (local compaction)', () => {
      const history = fold([...threeTurns, compacted('SUMMARY one'), ...turn('t4', 'Q4', 'A4')]);
      expect(texts(history)).to.deep.equal([...initialTexts, 'user:Q1', 'user:Q2', 'user:Q3', 'user:SUMMARY one', 'user:Q4', 'assistant:A4']);
    });

    it('does not carry an earlier summary over as a user message', () => {
      const history = fold([...threeTurns, compacted('SUMMARY one'), ...turn('t4', 'Q4', 'A4'), compacted('SUMMARY two')]);
      expect(texts(history)).to.deep.equal([...initialTexts, 'user:Q1', 'user:Q2', 'user:Q3', 'user:Q4', 'user:SUMMARY two']);
    });

    it('says so when the summary is empty', () => {
      expect(texts(fold([userItem('Q'), compacted('')])).slice(-1)).to.deep.equal(['user:(no summary available)']);
    });
  });

  describe('thread_rolled_back', () => {
    it('with 0 changes nothing', () => {
      const history = fold(threeTurns);
      expect(historyReducer(history, rolledBack(0))).to.equal(history);
    });

    it('with 1 drops the last user turn', () => {
      expect(texts(fold([...threeTurns, rolledBack(1)]))).to.deep.equal([...initialTexts, 'user:Q1', 'assistant:A1', 'user:Q2', 'assistant:A2']);
    });

    it('with more turns than exist keeps only what precedes the first user message', () => {
      expect(texts(fold([...threeTurns, rolledBack(10)]))).to.deep.equal(initialTexts);
    });

    it('twice drops cumulatively', () => {
      expect(texts(fold([...threeTurns, rolledBack(1), rolledBack(1)]))).to.deep.equal([...initialTexts, 'user:Q1', 'assistant:A1']);
    });

    it('does not count context wrappers (environment, interrupt marker, shell command) as user turns', () => {
      const lines = [
        ...threeTurns,
        userItem('<turn_aborted>The user interrupted.</turn_aborted>'),
        developerItem('<permissions instructions>again'),
        userItem('<user_shell_command>ls</user_shell_command>'),
      ];
      expect(texts(fold([...lines, rolledBack(1)]))).to.deep.equal([...initialTexts, 'user:Q1', 'assistant:A1', 'user:Q2', 'assistant:A2']);
    });

    it('after a compaction counts the summary message as a user turn, as the reference does', () => {
      const lines = [...threeTurns, compacted('SUMMARY'), ...turn('t4', 'Q4', 'A4')];
      expect(texts(fold([...lines, rolledBack(1)]))).to.deep.equal([...initialTexts, 'user:Q1', 'user:Q2', 'user:Q3', 'user:SUMMARY']);
      expect(texts(fold([...lines, rolledBack(2)]))).to.deep.equal([...initialTexts, 'user:Q1', 'user:Q2', 'user:Q3']);
    });

    it('with no user message at all changes nothing', () => {
      const history = fold([assistantItem('hello')]);
      expect(historyReducer(history, rolledBack(3))).to.equal(history);
    });
  });
});

describe('realUserMessageText', () => {
  it('is the joined input text of a user message that is not a context wrapper', () => {
    expect(realUserMessageText({ type: 'message', role: 'user', content: [{ type: 'input_text', text: 'a' }, { type: 'input_image', image_url: 'u' }, { type: 'input_text', text: 'b' }] })).to.equal('ab');
    expect(realUserMessageText({ type: 'message', role: 'user', content: [{ type: 'input_text', text: '  <ENVIRONMENT_CONTEXT>x' }] })).to.equal(undefined);
    expect(realUserMessageText({ type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'a' }] })).to.equal(undefined);
  });
});

describe('rebuildCompactedHistory', () => {
  it('keeps the newest user messages within the token budget, truncating the one that overflows', () => {
    const rebuilt = rebuildCompactedHistory([], ['old '.repeat(10), 'mid '.repeat(5), 'new!'], 'S', 8);
    // new! = 1 token, mid ×5 = 5 tokens, which leaves 2 tokens (8 bytes) for the oldest
    expect(rebuilt.map((i) => (i.type === 'message' && i.content[0]?.type === 'input_text' ? i.content[0].text : ''))).to.deep.equal([
      'old …8 tokens truncated…old ',
      'mid '.repeat(5),
      'new!',
      'S',
    ]);
  });
});

describe('tokenBudget', () => {
  it('estimates tokens as UTF-8 bytes / 4, rounded up', () => {
    expect(approxTokenCount('')).to.equal(0);
    expect(approxTokenCount('hello')).to.equal(2);
    expect(approxTokenCount('é')).to.equal(1);
    expect(approxTokenCount('😀😀')).to.equal(2);
  });

  it('truncates the middle on character boundaries and names the removed tokens', () => {
    expect(truncateToTokens('a'.repeat(20), 2)).to.equal('aaaa…3 tokens truncated…aaaa');
    expect(truncateToTokens('short', 10)).to.equal('short');
    expect(truncateToTokens('😀😀😀😀😀', 2)).to.equal('😀…3 tokens truncated…😀');
    expect(truncateToTokens('abc', 0)).to.equal('…1 tokens truncated…');
  });
});
