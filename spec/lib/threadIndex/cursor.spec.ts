import { expect } from 'chai';
import fc from 'fast-check';
import {
  compareToCursor,
  formatCursor,
  parseCursor,
  parseFileStamp,
  parseRfc3339,
  parseRolloutFileName,
  parseUuid,
  sameCursor,
} from '../../../lib/threadIndex/cursor.js';

const ID = '01a20f8b-37dd-7520-8718-ca308f7949a7';

describe('thread/list cursors', () => {
  describe('parseCursor', () => {
    it('reads the "<RFC 3339>|<uuid>" form the reference sends', () => {
      expect(parseCursor(`2026-11-24T21:51:54Z|${ID}`)).to.deep.equal({ at: { seconds: 1_795_557_114, nanos: 0 }, id: ID });
    });

    it('reads the file-name form "YYYY-MM-DDThh-mm-ss|<uuid>" as UTC', () => {
      expect(parseCursor(`2026-11-24T21-51-54|${ID}`)).to.deep.equal({ at: { seconds: 1_795_557_114, nanos: 0 }, id: ID });
    });

    it('applies offsets and keeps fractions to the nanosecond', () => {
      expect(parseCursor(`2026-11-24T22:51:54.25+01:00|${ID}`)?.at).to.deep.equal({ seconds: 1_795_557_114, nanos: 250_000_000 });
      expect(parseCursor(`2026-11-24t21:51:54.1234567891z|${ID}`)?.at).to.deep.equal({ seconds: 1_795_557_114, nanos: 123_456_789 });
    });

    it('normalizes the id to lowercase hyphenated, from any form the reference accepts', () => {
      for (const form of [ID.toUpperCase(), `{${ID}}`, `urn:uuid:${ID}`, ID.replaceAll('-', '')]) {
        expect(parseCursor(`2026-11-24T21:51:54Z|${form}`)?.id, form).to.equal(ID);
      }
    });

    it('rejects anything else', () => {
      for (const bad of [
        'not-a-cursor',
        '',
        `2026-11-24T21:51:54Z`,
        `2026-11-24T21:51:54Z|not-a-uuid`,
        `2026-11-24T21:51:54|${ID}`,
        `2026-02-30T00:00:00Z|${ID}`,
        `2026-11-24T24:00:00Z|${ID}`,
        `2026-11-24T21:51:54+24:00|${ID}`,
        `|${ID}`,
        `2026-11-24T21-51-54|${ID}|x`,
      ]) {
        expect(parseCursor(bad), bad).to.equal(null);
      }
    });
  });

  describe('formatCursor', () => {
    it('writes whole seconds in RFC 3339 UTC, the id after a bar', () => {
      expect(formatCursor({ at: { seconds: 1_795_557_114, nanos: 0 }, id: ID })).to.equal(`2026-11-24T21:51:54Z|${ID}`);
    });

    it('gives no cursor for times RFC 3339 cannot write', () => {
      expect(formatCursor({ at: { seconds: 253_402_300_800, nanos: 0 }, id: ID })).to.equal(null);
    });

    it('round-trips through parseCursor for every year 0000–9999', () => {
      fc.assert(
        fc.property(fc.integer({ min: -62_167_219_200, max: 253_402_300_799 }), fc.uuid(), (seconds, id) => {
          const cursor = { at: { seconds, nanos: 0 }, id };
          expect(parseCursor(formatCursor(cursor)!)).to.deep.equal(cursor);
        }),
      );
    });
  });

  describe('compareToCursor', () => {
    const cursor = { at: { seconds: 100, nanos: 0 }, id: ID };

    it('orders by time, then by id, both descending', () => {
      expect(compareToCursor(99, 'ffffffff-0000-0000-0000-000000000000', cursor)).to.be.lessThan(0);
      expect(compareToCursor(101, '00000000-0000-0000-0000-000000000000', cursor)).to.be.greaterThan(0);
      expect(compareToCursor(100, '00000000-0000-0000-0000-000000000000', cursor)).to.be.lessThan(0);
      expect(compareToCursor(100, 'ffffffff-0000-0000-0000-000000000000', cursor)).to.be.greaterThan(0);
      expect(compareToCursor(100, ID, cursor)).to.equal(0);
    });

    it('puts a cursor with a fraction after every item of its second', () => {
      expect(compareToCursor(100, 'ffffffff-0000-0000-0000-000000000000', { ...cursor, at: { seconds: 100, nanos: 1 } })).to.be.lessThan(0);
    });
  });

  it('sameCursor compares positions, not spellings', () => {
    expect(sameCursor(parseCursor(`2026-11-24T21-51-54|${ID}`)!, parseCursor(`2026-11-24T22:51:54+01:00|${ID.toUpperCase()}`)!)).to.equal(true);
  });

  describe('time stamps', () => {
    it('parseFileStamp checks the calendar, leap years included', () => {
      expect(parseFileStamp('2024-02-29T00-00-00')).to.equal(1_709_164_800);
      expect(parseFileStamp('2026-02-29T00-00-00')).to.equal(null);
      expect(parseFileStamp('2026-11-24T21-51-60')).to.equal(null);
      expect(parseFileStamp('0001-01-01T00-00-00')).to.equal(-62_135_596_800);
    });

    it('parseRfc3339 needs a zone', () => {
      expect(parseRfc3339('2026-11-24T21:51:54')).to.equal(null);
      expect(parseRfc3339('2026-11-24T21:51:54-00:30')).to.deep.equal({ seconds: 1_795_558_914, nanos: 0 });
    });

    it('parseUuid rejects wrong lengths and characters', () => {
      expect(parseUuid('01a20f8b-37dd-7520-8718-ca308f7949a')).to.equal(null);
      expect(parseUuid('01a20f8b-37dd-7520-8718-ca308f7949ag')).to.equal(null);
      expect(parseUuid('{01a20f8b37dd75208718ca308f7949a7}')).to.equal(null);
    });
  });

  describe('parseRolloutFileName', () => {
    it('splits the reference file names into creation second and id', () => {
      expect(parseRolloutFileName(`rollout-2026-11-24T21-51-51-${ID}.jsonl`)).to.deep.equal({ seconds: 1_795_557_111, id: ID });
    });

    it('takes the id after the right-most dash that starts a UUID', () => {
      expect(parseRolloutFileName(`rollout-2026-11-24T21-51-51-${ID.replaceAll('-', '')}.jsonl`)).to.deep.equal({ seconds: 1_795_557_111, id: ID });
    });

    it('refuses other names', () => {
      for (const name of [
        `rollout-2026-11-24T21-51-51-${ID}.json`,
        `session-2026-11-24T21-51-51-${ID}.jsonl`,
        `rollout-${ID}.jsonl`,
        `rollout-2026-11-24-${ID}.jsonl`,
        `rollout-2026-11-24T21-51-51-x-${ID}.jsonl`,
        'rollout-2026-11-24T21-51-51.jsonl',
      ]) {
        expect(parseRolloutFileName(name), name).to.equal(null);
      }
    });
  });
});
