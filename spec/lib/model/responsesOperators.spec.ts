import { expect } from 'chai';
import fc from 'fast-check';
import { from, lastValueFrom, toArray } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { idleTimeout } from '../../../lib/model/idleTimeout.js';
import { ModelError, streamDisconnected } from '../../../lib/model/modelError.js';
import { responseEvents } from '../../../lib/model/responseEvents.js';
import { retryWithBackoff } from '../../../lib/model/retry.js';
import { sseMessages } from '../../../lib/model/sseStream.js';

const message = (data: string, event?: string) => ({ id: undefined, event, data });
const payload = (event: Record<string, unknown>): string => JSON.stringify(event);

/** Errors as plain data, so marble comparisons check a ModelError's kind and details, not only its message. */
const plain = (value: unknown): unknown =>
  JSON.parse(JSON.stringify(value, (_key, v: unknown) => (v instanceof Error ? { ...v, name: v.name, message: v.message } : v)));

const completedPayload = payload({ type: 'response.completed', response: { id: 'resp_1' } });
const completedEvent = { type: 'completed', responseId: 'resp_1', tokenUsage: null, canAppend: false };

describe('model stream operators', () => {
  let testScheduler: TestScheduler;
  beforeEach(() => {
    testScheduler = new TestScheduler((actual, expected) => {
      expect(plain(actual)).to.deep.equal(plain(expected));
    });
  });

  describe('sseMessages', () => {
    it('emits an event when its blank line arrives, across chunks', () => {
      testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
        const source = cold('a-b-c-----|', { a: 'event: response.created\nda', b: 'ta: {"n":1}\n', c: '\ndata: {"n":2}\n\n' });
        expectObservable(source.pipe(sseMessages())).toBe('----(xy)--|', { x: message('{"n":1}', 'response.created'), y: message('{"n":2}') });
        expectSubscriptions(source.subscriptions).toBe('^---------!');
      });
    });

    it('joins multi-line data, skips comments and drops an event left unterminated at the end', () => {
      testScheduler.run(({ cold, expectObservable }) => {
        const source = cold('(a|)', { a: ': keep-alive\ndata: one\ndata: two\n\ndata: torn' });
        expectObservable(source.pipe(sseMessages())).toBe('(x|)', { x: message('one\ntwo') });
      });
    });

    it('decodes a UTF-8 character split across byte chunks', () => {
      const bytes = Buffer.from('data: é😀\n\n', 'utf8');
      testScheduler.run(({ cold, expectObservable }) => {
        const source = cold('a-b-|', { a: bytes.subarray(0, 8), b: bytes.subarray(8) });
        expectObservable(source.pipe(sseMessages())).toBe('--x-|', { x: message('é😀') });
      });
    });

    it('fails with a retryable stream error when one event outgrows the cap, and unsubscribes', () => {
      testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
        const source = cold('a-b-c-|', { a: 'data: 12345', b: '67890', c: '\n\n' });
        expectObservable(source.pipe(sseMessages(12))).toBe('--#', undefined, streamDisconnected('an SSE event exceeded 12 characters'));
        expectSubscriptions(source.subscriptions).toBe('^-!');
      });
    });

    it('yields the same events for any chunking of the body', async () => {
      const body = 'event: a\ndata: {"x":"é"}\n\n: ping\n\ndata: line1\ndata: line2\n\nevent: b\ndata: 😀\n\n';
      const bytes = Buffer.from(body, 'utf8');
      const expected = await lastValueFrom(from([bytes]).pipe(sseMessages(), toArray()));
      await fc.assert(
        fc.asyncProperty(fc.uniqueArray(fc.integer({ min: 1, max: bytes.length - 1 })), async (cuts) => {
          const points = [0, ...[...cuts].sort((a, b) => a - b), bytes.length];
          const chunks = points.slice(1).map((end, i) => bytes.subarray(points[i], end));
          expect(await lastValueFrom(from(chunks).pipe(sseMessages(), toArray()))).to.deep.equal(expected);
        }),
      );
    });
  });

  describe('responseEvents', () => {
    it('passes events on, emits the completion and then completes, unsubscribing from the payloads', () => {
      testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
        const source = cold('a-b-c-d-|', {
          a: payload({ type: 'response.created', response: { id: 'resp_1' } }),
          b: payload({ type: 'response.output_text.delta', delta: 'Hi' }),
          c: completedPayload,
          d: payload({ type: 'response.output_text.delta', delta: 'late' }),
        });
        expectObservable(source.pipe(responseEvents())).toBe('a-b-(c|)', {
          a: { type: 'created' },
          b: { type: 'outputTextDelta', delta: 'Hi' },
          c: completedEvent,
        });
        expectSubscriptions(source.subscriptions).toBe('^---!');
      });
    });

    it('fails a stream that ends without response.completed: never a silent success', () => {
      testScheduler.run(({ cold, expectObservable }) => {
        const source = cold('a-|', { a: payload({ type: 'response.output_text.delta', delta: 'Hi' }) });
        expectObservable(source.pipe(responseEvents())).toBe('a-#', { a: { type: 'outputTextDelta', delta: 'Hi' } }, streamDisconnected('stream closed before response.completed'));
      });
    });

    it('fails on response.failed with the classified error and unsubscribes', () => {
      testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
        const source = cold('a-b-|', {
          a: payload({ type: 'response.failed', response: { error: { code: 'context_length_exceeded', message: 'too long' } } }),
          b: completedPayload,
        });
        const events = source.pipe(responseEvents());
        expectObservable(events).toBe('#', undefined, new ModelError('contextWindowExceeded', "Codex ran out of room in the model's context window. Start a new thread or clear earlier history before retrying."));
        expectSubscriptions(source.subscriptions).toBe('(^!)');
      });
    });

    it('skips unparseable payloads, unknown types and known types missing their fields', () => {
      testScheduler.run(({ cold, expectObservable }) => {
        const source = cold('abcd|', {
          a: 'not json',
          b: payload({ type: 'response.in_progress', response: {} }),
          c: payload({ type: 'response.output_text.delta' }),
          d: completedPayload,
        });
        expectObservable(source.pipe(responseEvents())).toBe('---(d|)', { d: completedEvent });
      });
    });

    it('passes a transport error through', () => {
      testScheduler.run(({ cold, expectObservable }) => {
        const source = cold('-#', undefined, streamDisconnected('socket hang up'));
        expectObservable(source.pipe(responseEvents())).toBe('-#', undefined, streamDisconnected('socket hang up'));
      });
    });
  });

  describe('idleTimeout', () => {
    it('lets a stream through while it stays within the idle time, counting from subscription', () => {
      testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
        const source = cold('4ms a 3ms b|');
        expectObservable(source.pipe(idleTimeout(5, testScheduler))).toBe('4ms a 3ms b|');
        expectSubscriptions(source.subscriptions).toBe('^ 8ms !');
      });
    });

    it('fails after the idle time without a value and unsubscribes', () => {
      testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
        const source = cold('a 9ms b|');
        expectObservable(source.pipe(idleTimeout(5, testScheduler))).toBe('a 4ms #', { a: 'a' }, streamDisconnected('idle timeout waiting for SSE'));
        expectSubscriptions(source.subscriptions).toBe('^ 4ms !');
      });
    });
  });

  describe('retryWithBackoff', () => {
    const isModelError = (e: unknown): e is ModelError => e instanceof ModelError;
    const retryable = streamDisconnected('stream closed before response.completed');
    const final = new ModelError('contextWindowExceeded', 'full');

    it('announces each retry, waits the delay, then resubscribes; the last error goes through', () => {
      testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
        const source = cold('a#', { a: 'a' }, retryable);
        const retried = source.pipe(
          retryWithBackoff({
            maxRetries: 2,
            isError: isModelError,
            retryable: (e) => e.retryable,
            delayMs: (_e, retry) => retry * 3,
            notice: (step) => `retry ${step.retry}/${step.maxRetries} after ${step.delayMs}`,
            scheduler: testScheduler,
          }),
        );
        expectObservable(retried).toBe('a(n)a(m) 3ms a#', { a: 'a', n: 'retry 1/2 after 3', m: 'retry 2/2 after 6' }, retryable);
        expectSubscriptions(source.subscriptions).toBe(['^!', '----^!', '-----------^!']);
      });
    });

    it('re-throws at once an error the policy does not retry', () => {
      testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
        const source = cold('a#', { a: 'a' }, final);
        const retried = source.pipe(retryWithBackoff({ maxRetries: 5, isError: isModelError, retryable: (e) => e.retryable, delayMs: () => 1, scheduler: testScheduler }));
        expectObservable(retried).toBe('a#', { a: 'a' }, final);
        expectSubscriptions(source.subscriptions).toBe('^!');
      });
    });

    it('stops waiting and resubscribing when unsubscribed during a wait', () => {
      testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
        const source = cold('#', undefined, retryable);
        const retried = source.pipe(retryWithBackoff({ maxRetries: 5, isError: isModelError, retryable: () => true, delayMs: () => 10, scheduler: testScheduler }));
        expectObservable(retried, '^ 4ms !').toBe('');
        expectSubscriptions(source.subscriptions).toBe('(^!)');
      });
    });

    it('routes an error thrown by the policy to the subscriber', () => {
      testScheduler.run(({ cold, expectObservable }) => {
        const boom = new Error('bad delay');
        const source = cold('#', undefined, retryable);
        const retried = source.pipe(
          retryWithBackoff({
            maxRetries: 1,
            isError: isModelError,
            retryable: () => true,
            delayMs: () => {
              throw boom;
            },
            scheduler: testScheduler,
          }),
        );
        expectObservable(retried).toBe('#', undefined, boom);
      });
    });
  });
});
