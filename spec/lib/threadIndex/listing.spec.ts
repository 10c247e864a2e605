import { expect } from 'chai';
import fc from 'fast-check';
import type { ListCursor } from '../../../lib/threadIndex/cursor.js';
import {
  createdAtPage,
  providerMatches,
  sourceFilters,
  sourceKindMatches,
  updatedAtPage,
  type ScanOptions,
  type SortPosition,
} from '../../../lib/threadIndex/listing.js';

interface Item {
  readonly name: string;
  readonly at: SortPosition;
  readonly listed: boolean;
}

const item = (name: string, seconds: number, id: string, listed = true): Item => ({ name, at: { seconds, id }, listed });
const cursorAt = (p: SortPosition): ListCursor => ({ at: { seconds: p.seconds, nanos: 0 }, id: p.id });
const options = (pageSize: number, cursor: ListCursor | null = null, maxScanFiles?: number): ScanOptions<Item> => ({
  pageSize,
  cursor,
  position: (i) => i.at,
  accept: (i) => i.listed,
  ...(maxScanFiles === undefined ? {} : { maxScanFiles }),
});
const names = (items: readonly Item[]): string[] => items.map((i) => i.name);

describe('thread/list paging', () => {
  describe('sourceFilters', () => {
    it('lists interactive sources when sourceKinds is omitted or empty', () => {
      expect(sourceFilters(undefined)).to.deep.equal({ scan: ['cli', 'vscode'], kinds: null });
      expect(sourceFilters(null)).to.deep.equal({ scan: ['cli', 'vscode'], kinds: null });
      expect(sourceFilters([])).to.deep.equal({ scan: ['cli', 'vscode'], kinds: null });
    });

    it('filters the scan itself when only cli/vscode are asked for', () => {
      expect(sourceFilters(['cli'])).to.deep.equal({ scan: ['cli'], kinds: ['cli'] });
    });

    it('scans unfiltered and filters by kind afterwards when any other kind is asked for', () => {
      expect(sourceFilters(['cli', 'subAgentReview'])).to.deep.equal({ scan: [], kinds: ['cli', 'subAgentReview'] });
    });
  });

  it('sourceKindMatches tells sub-agent kinds apart', () => {
    const spawn = { subAgent: { thread_spawn: { parent_thread_id: '00000000-0000-7000-8000-000000000001', depth: 1 } } } as const;
    expect(sourceKindMatches({ subAgent: 'review' }, ['subAgentReview'])).to.equal(true);
    expect(sourceKindMatches({ subAgent: 'review' }, ['subAgentCompact', 'subAgentThreadSpawn'])).to.equal(false);
    expect(sourceKindMatches(spawn, ['subAgentThreadSpawn'])).to.equal(true);
    expect(sourceKindMatches({ subAgent: { other: 'x' } }, ['subAgentOther'])).to.equal(true);
    expect(sourceKindMatches({ subAgent: 'compact' }, ['subAgent'])).to.equal(true);
    expect(sourceKindMatches('appServer', ['appServer'])).to.equal(true);
    expect(sourceKindMatches('unknown', ['cli', 'vscode', 'exec'])).to.equal(false);
  });

  it('providerMatches counts a missing provider as the configured one', () => {
    expect(providerMatches(null, ['openai'], 'openai')).to.equal(true);
    expect(providerMatches(null, ['mock'], 'openai')).to.equal(false);
    expect(providerMatches('mock', null, 'openai')).to.equal(true);
    expect(providerMatches('mock', ['openai'], 'openai')).to.equal(false);
  });

  describe('createdAtPage', () => {
    const walk = [item('e', 50, 'b'), item('d', 50, 'a'), item('c', 40, 'z', false), item('b', 30, 'y'), item('a', 20, 'x')];

    it('takes accepted items in order and gives the last one as cursor when a file follows', () => {
      const page = createdAtPage(walk, options(2));
      expect(names(page.items)).to.deep.equal(['e', 'd']);
      expect(page.next).to.deep.equal({ seconds: 50, id: 'a' });
    });

    it('resumes strictly after the cursor, ties broken by id', () => {
      const page = createdAtPage(walk, options(2, cursorAt({ seconds: 50, id: 'a' })));
      expect(names(page.items)).to.deep.equal(['b', 'a']);
      expect(page.next).to.equal(null);
    });

    it('gives a cursor after a full page even when only unlisted files follow', () => {
      const page = createdAtPage(walk.slice(0, 3), options(2));
      expect(page.next).to.deep.equal({ seconds: 50, id: 'a' });
      expect(createdAtPage(walk.slice(0, 3), options(2, cursorAt(page.next!)))).to.deep.equal({ items: [], next: null });
    });

    it('latches on the first file after the cursor, as the reference walk does', () => {
      // A file out of date order in its folder: once the cursor is passed, every later file is taken.
      const odd = [item('x', 60, 'a'), item('y', 40, 'a'), item('z', 70, 'a')];
      expect(names(createdAtPage(odd, options(5, cursorAt({ seconds: 50, id: 'a' }))).items)).to.deep.equal(['y', 'z']);
    });

    it('stops after maxScanFiles files, skipped ones included, and then always gives a cursor', () => {
      const page = createdAtPage(walk, options(10, null, 3));
      expect(names(page.items)).to.deep.equal(['e', 'd']);
      expect(page.next).to.deep.equal({ seconds: 50, id: 'a' });
      const next = createdAtPage(walk, options(10, cursorAt(page.next!), 3));
      expect(next).to.deep.equal({ items: [], next: null });
    });
  });

  describe('updatedAtPage', () => {
    const byMtime = [item('b', 90, 'b'), item('a', 90, 'a'), item('c', 80, 'c', false), item('d', 70, 'd')];

    it('pages the candidates from the cursor', () => {
      const first = updatedAtPage(byMtime, byMtime.length, options(2));
      expect(names(first.items)).to.deep.equal(['b', 'a']);
      expect(first.next).to.deep.equal({ seconds: 90, id: 'a' });
      const second = updatedAtPage(byMtime, byMtime.length, options(2, cursorAt(first.next!)));
      expect(names(second.items)).to.deep.equal(['d']);
      expect(second.next).to.equal(null);
    });

    it('gives a cursor with a non-empty page whenever the walk reached the cap', () => {
      expect(updatedAtPage(byMtime, 4, options(10, null, 4)).next).to.deep.equal({ seconds: 70, id: 'd' });
      expect(updatedAtPage(byMtime, 3, options(10, null, 4)).next).to.equal(null);
    });
  });

  it('paging by cursors lists every accepted item exactly once, in order, for any page size', () => {
    const items = fc
      .uniqueArray(fc.record({ seconds: fc.integer({ min: 0, max: 20 }), id: fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 1, maxLength: 3 }), listed: fc.boolean() }), {
        selector: (r) => `${r.seconds}|${r.id}`,
        maxLength: 40,
      })
      .map((rows) =>
        rows
          .map((r, i) => item(String(i), r.seconds, r.id, r.listed))
          .sort((a, b) => b.at.seconds - a.at.seconds || (a.at.id < b.at.id ? 1 : -1)),
      );
    fc.assert(
      fc.property(items, fc.integer({ min: 1, max: 7 }), fc.boolean(), (sorted, pageSize, byCreated) => {
        const seen: Item[] = [];
        let cursor: ListCursor | null = null;
        for (let pages = 0; pages <= sorted.length + 1; pages++) {
          const page = byCreated
            ? createdAtPage(sorted, options(pageSize, cursor))
            : updatedAtPage(sorted, sorted.length, options(pageSize, cursor));
          seen.push(...page.items);
          if (page.next === null) break;
          cursor = cursorAt(page.next);
        }
        expect(names(seen)).to.deep.equal(names(sorted.filter((i) => i.listed)));
      }),
    );
  });
});
