import { expect } from 'chai';
import type { Thread } from '../../lib/protocol/index.js';
import type { RolloutLine } from '../../lib/rollout/rolloutLine.js';
import { foldRollout } from '../../reducers/rolloutReducer.js';
import { HEAD_LINES, initialThreadSummary, readView, threadSummaryReducer, toThread, wireSessionSource, type ThreadSummary } from '../../reducers/threadSummaryReducer.js';
import { agentMsg, developerItem, meta, turn, userItem, userMsg } from './lineBuilders.js';
import { newBindings, placeholderMismatches } from './placeholderMatch.js';
import { pinnedThreads, rolloutLines, scenarios, transcript } from './referenceFixtures.js';

const fold = (lines: RolloutLine[]): ThreadSummary => lines.reduce(threadSummaryReducer, initialThreadSummary);

describe('threadSummaryReducer', () => {
  describe('against the thread/list results of the reference 0.101.0 fixtures', () => {
    for (const scenario of scenarios()) {
      const lists = transcript(scenario).filter((e) => e.dir === 'recv' && e.type === 'response' && e.method === 'thread/list' && e.result !== undefined);
      const listed = lists.flatMap((e) => (e.result?.data as Thread[]).map((thread) => ({ thread, id: e.id })));
      if (listed.length === 0) continue;
      it(`${scenario}: every listed thread is the summary of its rollout (${listed.length} entries)`, () => {
        const pinned = pinnedThreads(scenario);
        for (const { thread, id } of listed) {
          const path = pinned.get(thread.id) as string;
          expect(path, `thread/list #${id}: no rollout for ${thread.id}`).to.be.a('string');
          const actual = toThread(foldRollout(rolloutLines(path)).summary, [], { path, defaultModelProvider: 'openai' });
          expect(placeholderMismatches(thread, actual, newBindings()), `thread/list #${id}`).to.deep.equal([]);
        }
      });
    }
  });

  it('takes identity, creation time, provider, cwd, version and git from the first session_meta', () => {
    const summary = fold([
      meta({ id: 'a', forked_from_id: 'src', git: { commit_hash: '9f2c', branch: 'main', repository_url: 'git@github.com:o/r.git' } }),
      meta({ id: 'b' }),
    ]);
    expect(summary.meta).to.deep.equal({
      id: 'a',
      forkedFromId: 'src',
      createdAt: 1770924429,
      modelProvider: 'openai',
      source: 'vscode',
      cwd: '/home/u/proj',
      cliVersion: '0.101.0',
      originator: 'codex_vscode',
      gitInfo: { sha: '9f2c', branch: 'main', originUrl: 'git@github.com:o/r.git' },
    });
  });

  it('previews the first user_message, trimmed, after "## My request for Codex:" when present, and keeps it', () => {
    expect(fold([meta(), userMsg(' Fix the failing test\n'), userMsg('second')]).preview).to.equal('Fix the failing test');
    expect(fold([meta(), userMsg('# Context\nstuff\n## My request for Codex:\n  Do it  ')]).preview).to.equal('Do it');
    expect(fold([meta(), userItem('a response item is not an event'), agentMsg('hi')]).preview).to.equal(null);
  });

  it('previews reads from the first real user message among the first 10 meta/response lines (SPEC §4.5)', () => {
    // As a resume with `history` writes it: items, no user_message event until the next turn.
    const given = fold([meta(), developerItem('<permissions …>'), userItem('<environment_context>…'), userItem('x ## My request for Codex: Earlier question'), ...turn('t1', 'Next', 'ok')]);
    expect(readView(given).preview).to.equal('Earlier question');
    expect(given.preview).to.equal('Next');
    // A first user message past the head: reads show none, the listing still has its event.
    const late = fold([meta(), ...Array.from({ length: HEAD_LINES - 1 }, () => developerItem('context')), ...turn('t1', 'Late', 'ok')]);
    expect(readView(late).preview).to.equal(null);
    expect(toThread(readView(late), [], { path: null, defaultModelProvider: 'openai' })?.preview).to.equal('');
    expect(late.preview).to.equal('Late');
    const ninth = fold([meta(), ...Array.from({ length: HEAD_LINES - 2 }, () => developerItem('context')), ...turn('t1', 'Just in', 'ok')]);
    expect(readView(ninth).preview).to.equal('Just in');
  });

  it('tracks the last write time in seconds, returning the same summary within one second', () => {
    const summary = fold([meta({}, '2026-02-12T19:27:11.000Z')]);
    expect(summary.updatedAt).to.equal(1770924431);
    expect(threadSummaryReducer(summary, { ...agentMsg('x'), timestamp: '2026-02-12T19:27:11.900Z' })).to.equal(summary);
    expect(threadSummaryReducer(summary, { ...agentMsg('x'), timestamp: '2026-02-12T19:27:12.000Z' }).updatedAt).to.equal(1770924432);
  });

  it('translates core session sources to the wire', () => {
    expect(wireSessionSource('cli')).to.equal('cli');
    expect(wireSessionSource('vscode')).to.equal('vscode');
    expect(wireSessionSource('exec')).to.equal('exec');
    expect(wireSessionSource('mcp')).to.equal('appServer');
    expect(wireSessionSource('something-new')).to.equal('unknown');
    expect(wireSessionSource(undefined)).to.equal('vscode');
    expect(wireSessionSource({ subagent: 'review' })).to.deep.equal({ subAgent: 'review' });
    expect(wireSessionSource({ subagent: { thread_spawn: { parent_thread_id: 'p', depth: 1 } } })).to.deep.equal({
      subAgent: { thread_spawn: { parent_thread_id: 'p', depth: 1 } },
    });
    expect(wireSessionSource({ subagent: { other: 'x' } })).to.deep.equal({ subAgent: { other: 'x' } });
    expect(wireSessionSource({ subagent: 42 })).to.equal('unknown');
  });

  describe('toThread', () => {
    it('is null before a session_meta', () => {
      expect(toThread(fold([userMsg('Q')]), [], { path: null, defaultModelProvider: 'openai' })).to.equal(null);
    });

    it('builds the wire Thread, with the configured provider for a meta without one', () => {
      const summary = fold([meta({ model_provider: null }), ...turn('t1', 'Q', 'A')]);
      expect(toThread(summary, [], { path: '/x.jsonl', updatedAt: 5, defaultModelProvider: 'openai' })).to.deep.equal({
        id: '0194f7a2-0000-7000-8000-000000000001',
        preview: 'Q',
        modelProvider: 'openai',
        createdAt: 1770924429,
        updatedAt: 5,
        path: '/x.jsonl',
        cwd: '/home/u/proj',
        cliVersion: '0.101.0',
        source: 'vscode',
        gitInfo: null,
        turns: [],
      });
    });
  });
});
