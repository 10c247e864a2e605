import { expect } from 'chai';
import { type Observable, of, Subject } from 'rxjs';
import { tap } from 'rxjs/operators';
import { TestScheduler } from 'rxjs/testing';
import { OutboundQueue, type OutboundQueueOptions, type OutboundSink } from '../../streams/outboundQueue.js';

/**
 * A sink that holds `highWaterMark` messages before reporting backpressure; each `drains$`
 * emission is the peer reading everything. Writes are published on `writes$` for marbles.
 */
function fakeSink(drains$: Observable<unknown>, highWaterMark = Infinity): OutboundSink & { writes$: Subject<string> } {
  let buffered = 0;
  const writes$ = new Subject<string>();
  return {
    writes$,
    write: (message) => {
      writes$.next(message);
      buffered++;
      return buffered < highWaterMark;
    },
    ready$: drains$.pipe(tap(() => (buffered = 0))),
  };
}

describe('OutboundQueue', () => {
  let testScheduler: TestScheduler;
  beforeEach(() => {
    testScheduler = new TestScheduler((actual, expected) => {
      expect(actual).to.deep.equal(expected);
    });
  });

  const queueOn = (sink: OutboundSink, options: OutboundQueueOptions = {}): OutboundQueue =>
    new OutboundQueue(sink, { scheduler: testScheduler, ...options });

  it('hands messages to the sink at once while it accepts, without waiting on ready$', () => {
    testScheduler.run(({ hot, expectObservable, expectSubscriptions }) => {
      const drains = hot<unknown>('-----');
      const sink = fakeSink(drains);
      const queue = queueOn(sink);
      expectObservable(sink.writes$).toBe('a-b-c');
      expectObservable(queue.saturated$).toBe('f----', { f: false });
      hot('a-b-c').subscribe((m) => queue.send(m));
      expectSubscriptions(drains.subscriptions).toBe([]);
    });
  });

  it('pauses on backpressure and resumes, in order, each time the sink is ready', () => {
    testScheduler.run(({ hot, expectObservable, expectSubscriptions }) => {
      const drains = hot<unknown>('------d---d----');
      const sends = '              -a-b-c---------';
      const writes = '              -a----b---c----';
      const sink = fakeSink(drains, 1);
      const queue = queueOn(sink);
      expectObservable(sink.writes$).toBe(writes);
      hot(sends).subscribe((m) => queue.send(m));
      expectSubscriptions(drains.subscriptions).toBe(['-^----!', '------^---!', '----------^']);
    });
  });

  it('keeps going when ready$ emits synchronously', () => {
    const written: string[] = [];
    let calls = 0;
    const queue = new OutboundQueue({ write: (m) => (written.push(m), ++calls % 2 === 0), ready$: of(0) });
    for (const m of ['a', 'b', 'c', 'd']) queue.send(m);
    expect(written).to.deep.equal(['a', 'b', 'c', 'd']);
    expect(queue.length).to.equal(0);
  });

  it('is saturated while capacity messages wait, and no longer once the sink catches up', () => {
    testScheduler.run(({ hot, expectObservable, expectSubscriptions }) => {
      const drains = hot<unknown>('-------d-----');
      const sink = fakeSink(drains, 1);
      const queue = queueOn(sink, { capacity: 2 });
      // a is written (the sink is then full); b waits; c makes two waiting: saturated.
      // At the drain b is written and the sink is full again: one waits, not saturated.
      expectObservable(queue.saturated$).toBe('f--t---f-----', { f: false, t: true });
      hot('a-bc---------').subscribe((m) => queue.send(m));
      expectSubscriptions(drains.subscriptions).toBe(['^------!', '-------^']);
    });
  });

  describe("policy 'disconnect'", () => {
    it('gives up when saturated for longer than the stall timeout, dropping what is queued', () => {
      testScheduler.run(({ hot, expectObservable, expectSubscriptions }) => {
        const drains = hot<unknown>('-----------------------');
        const sink = fakeSink(drains, 1);
        const queue = queueOn(sink, { capacity: 2, stallTimeoutMs: 10 });
        expectObservable(queue.failure$).toBe('-------------(x|)', { x: { kind: 'stalled', stallTimeoutMs: 10 } });
        expectObservable(queue.saturated$).toBe('f--t---------(f|)', { f: false, t: true });
        expectObservable(sink.writes$).toBe('a---------------------');
        hot('a-bc--------------d---').subscribe((m) => queue.send(m));
        expectSubscriptions(drains.subscriptions).toBe(['^------------!']);
      });
    });

    it('does not give up on a peer that catches up before the stall timeout', () => {
      testScheduler.run(({ hot, expectObservable }) => {
        const drains = hot<unknown>('---------d--------------');
        const sink = fakeSink(drains, 1);
        const queue = queueOn(sink, { capacity: 2, stallTimeoutMs: 10 });
        expectObservable(queue.failure$).toBe('------------------------');
        expectObservable(queue.saturated$).toBe('f--t-----f--------------', { f: false, t: true });
        hot('a-bc--------------------').subscribe((m) => queue.send(m));
      });
    });

    it('measures the stall from when saturation began, restarting after a recovery', () => {
      testScheduler.run(({ hot, expectObservable }) => {
        const drains = hot<unknown>('-----d----------------------');
        const sink = fakeSink(drains, 1);
        const queue = queueOn(sink, { capacity: 2, stallTimeoutMs: 10 });
        // saturated at 2, recovered at 5, saturated again at 7: gives up at 17, not 12.
        expectObservable(queue.saturated$).toBe('f-t--f-t---------(f|)', { f: false, t: true });
        expectObservable(queue.failure$).toBe('-----------------(x|)', { x: { kind: 'stalled', stallTimeoutMs: 10 } });
        hot('abc----d').subscribe((m) => queue.send(m));
      });
    });

    it('gives up at once when a message arrives with the overflow exhausted', () => {
      testScheduler.run(({ hot, expectObservable, expectSubscriptions }) => {
        const drains = hot<unknown>('------');
        const sink = fakeSink(drains, 1);
        const queue = queueOn(sink, { capacity: 2, overflow: 1, stallTimeoutMs: 1000 });
        // a written; b, c, d wait (capacity 2 + overflow 1); e is one too many.
        expectObservable(queue.failure$).toBe('----(x|)', { x: { kind: 'overflow', limit: 3 } });
        hot('abcde-').subscribe((m) => queue.send(m));
        expectSubscriptions(drains.subscriptions).toBe(['^---!']);
      });
    });

    it('gives up when the sink throws', () => {
      const failures: unknown[] = [];
      const queue = new OutboundQueue({
        write: () => {
          throw new Error('socket gone');
        },
        ready$: of(0),
      });
      queue.failure$.subscribe((f) => failures.push(f.kind));
      expect(() => queue.send('a')).not.to.throw();
      expect(failures).to.deep.equal(['sinkError']);
      expect(queue.closed).to.equal(true);
    });
  });

  describe("policy 'drop'", () => {
    it('never gives up on the peer, drops what exceeds the overflow with one log line, and writes the rest in order', () => {
      const logs: string[] = [];
      testScheduler.run(({ hot, expectObservable }) => {
        const drains = hot<unknown>('----------------------------------d');
        const sink = fakeSink(drains);
        let first = true;
        const gated: OutboundSink = { write: (m) => (sink.write(m), first ? (first = false) : true), ready$: sink.ready$ };
        const queue = queueOn(gated, { policy: 'drop', capacity: 2, overflow: 1, stallTimeoutMs: 5, log: (l) => logs.push(l) });
        expectObservable(queue.failure$).toBe('-----------------------------------');
        expectObservable(sink.writes$).toBe('a---------------------------------(bcd)');
        expectObservable(queue.saturated$).toBe('f-t-------------------------------f', { f: false, t: true });
        hot('abcdef').subscribe((m) => queue.send(m));
      });
      expect(logs).to.have.length(2);
      expect(logs[0]).to.match(/outbound queue full \(3 messages\)/);
      expect(logs[1]).to.match(/2 message\(s\) were dropped/);
    });
  });

  it('dispose() drops what waits and releases the sink', () => {
    testScheduler.run(({ hot, expectObservable, expectSubscriptions }) => {
      const drains = hot<unknown>('--------d');
      const sink = fakeSink(drains, 1);
      const queue = queueOn(sink);
      expectObservable(sink.writes$).toBe('a--------');
      hot('ab--|').subscribe({ next: (m) => queue.send(m), complete: () => queue.dispose() });
      expectSubscriptions(drains.subscriptions).toBe(['^---!']);
    });
  });

  it('flushAndDispose() hands every waiting message to the sink despite backpressure, then ignores sends', () => {
    testScheduler.run(({ hot, expectObservable, expectSubscriptions }) => {
      const drains = hot<unknown>('---------');
      const sink = fakeSink(drains, 1);
      const queue = queueOn(sink);
      expectObservable(sink.writes$).toBe('a---(bc)-');
      hot('abc-|-x').subscribe({ next: (m) => queue.send(m), complete: () => queue.flushAndDispose() });
      hot('------x').subscribe((m) => queue.send(m));
      expectSubscriptions(drains.subscriptions).toBe(['^---!']);
    });
  });

  it('rejects nonsensical bounds', () => {
    const sink: OutboundSink = { write: () => true, ready$: of(0) };
    expect(() => new OutboundQueue(sink, { capacity: 0 })).to.throw(RangeError, /capacity/);
    expect(() => new OutboundQueue(sink, { overflow: -1 })).to.throw(RangeError, /overflow/);
  });
});
