import { expect } from 'chai';
import fc from 'fast-check';
import { from, lastValueFrom } from 'rxjs';
import { toArray } from 'rxjs/operators';
import { TestScheduler } from 'rxjs/testing';
import { boundedLines, type LineFrame } from '../../streams/boundedLines.js';

// `bytes` counts a stripped `\r`; pass it for such lines.
const line = (text: string, bytes = Buffer.byteLength(text)): LineFrame => ({ kind: 'line', text, bytes });
const oversized = (bytes: number, limit: number): LineFrame => ({ kind: 'oversized', bytes, limit });

const framesOf = (chunks: readonly (string | Uint8Array)[], maxBytes?: number): Promise<LineFrame[]> =>
  lastValueFrom(from(chunks).pipe(boundedLines(maxBytes), toArray()));

describe('boundedLines', () => {
  let testScheduler: TestScheduler;
  beforeEach(() => {
    testScheduler = new TestScheduler((actual, expected) => {
      expect(actual).to.deep.equal(expected);
    });
  });

  it('emits a line when its newline arrives, across chunks', () => {
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('a-b-c-|', { a: '{"id":', b: '1}\n{"id"', c: ':2}\n' });
      expectObservable(source.pipe(boundedLines())).toBe('--x-y-|', { x: line('{"id":1}'), y: line('{"id":2}') });
      expectSubscriptions(source.subscriptions).toBe('^-----!');
    });
  });

  it('emits every line of a chunk holding several, strips one trailing \\r, keeps empty lines', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      const source = cold('(a|)', { a: 'one\r\n\ntwo\r\r\n' });
      expectObservable(source.pipe(boundedLines())).toBe('(xey|)', { x: line('one', 4), e: line(''), y: line('two\r', 5) });
    });
  });

  it('emits an unterminated last line when the source completes', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      const source = cold('a-b-|', { a: 'x\ny', b: 'z' });
      expectObservable(source.pipe(boundedLines())).toBe('x---(y|)', { x: line('x'), y: line('yz') });
    });
  });

  it('skips a line over the cap, reports its size in order, and reads the next line normally', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      const source = cold('a-b-c---|', { a: 'ok\n12345', b: '6789', c: '0\nfine\n' });
      expectObservable(source.pipe(boundedLines(5))).toBe('x---(of)|', { x: line('ok'), o: oversized(10, 5), f: line('fine') });
    });
  });

  it('counts the cap in bytes, not characters, and allows a line of exactly the cap', async () => {
    expect(await framesOf(['ééé\n'], 6)).to.deep.equal([line('ééé')]);
    expect(await framesOf(['éééé\n'], 6)).to.deep.equal([oversized(8, 6)]);
  });

  it('reports an oversized unterminated last line at completion', async () => {
    expect(await framesOf(['a\n', 'b'.repeat(20)], 8)).to.deep.equal([line('a'), oversized(20, 8)]);
  });

  it('decodes a UTF-8 character split across chunks', async () => {
    const bytes = Buffer.from('{"text":"日本"}\n');
    expect(await framesOf([bytes.subarray(0, 11), bytes.subarray(11)])).to.deep.equal([line('{"text":"日本"}')]);
  });

  it('passes errors through and unsubscribes when the consumer does', () => {
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const failing = cold('a-#', { a: 'x\n' });
      expectObservable(failing.pipe(boundedLines())).toBe('x-#', { x: line('x') });
      const endless = cold('a-b-c-d', { a: '1\n', b: '2\n', c: '3\n', d: '4\n' });
      expectObservable(endless.pipe(boundedLines()), '^--!').toBe('x-y', { x: line('1'), y: line('2') });
      expectSubscriptions(endless.subscriptions).toBe('^--!');
    });
  });

  it('gives the same frames for any chunking of the input', async () => {
    const text = fc.array(fc.oneof(fc.constantFrom('\n', '\r\n', '\r', 'é', '日'), fc.string({ maxLength: 12 })), { maxLength: 30 }).map((parts) => parts.join(''));
    await fc.assert(
      fc.asyncProperty(text, fc.array(fc.nat(), { maxLength: 10 }), fc.integer({ min: 0, max: 20 }), async (input, cuts, maxBytes) => {
        const bytes = Buffer.from(input);
        const points = [...new Set(cuts.map((c) => (bytes.length === 0 ? 0 : c % bytes.length)))].sort((a, b) => a - b);
        const chunks = [0, ...points].map((start, i, all) => bytes.subarray(start, all[i + 1] ?? bytes.length));
        expect(await framesOf(chunks, maxBytes)).to.deep.equal(await framesOf([bytes], maxBytes));
      }),
    );
  });

  it('reports sizes that add up to the input, so a reader knows where each line starts', async () => {
    const text = fc.array(fc.oneof(fc.constantFrom('\n', '\r\n', 'é', '日'), fc.string({ maxLength: 12 })), { maxLength: 30 }).map((parts) => parts.join(''));
    await fc.assert(
      fc.asyncProperty(text, fc.integer({ min: 0, max: 20 }), async (input, maxBytes) => {
        const bytes = Buffer.from(input);
        const frames = await framesOf([bytes], maxBytes);
        let offset = 0;
        for (const frame of frames) {
          if (frame.kind === 'line') expect(bytes.subarray(offset, offset + frame.bytes).toString('utf8').replace(/\r$/, '')).to.equal(frame.text);
          offset += frame.bytes + 1;
        }
        expect(offset).to.equal(input.endsWith('\n') || input === '' ? bytes.length : bytes.length + 1);
      }),
    );
  });
});
