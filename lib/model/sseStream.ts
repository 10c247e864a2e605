import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { Observable, type OperatorFunction } from 'rxjs';
import { streamDisconnected } from './modelError.js';

/** Longest SSE event (or unterminated line) kept in memory: 16 MiB of text. */
export const DEFAULT_MAX_SSE_EVENT_CHARS = 16 * 1024 * 1024;

/**
 * Frames a response body into Server-Sent Events with `eventsource-parser`. Chunks may split
 * lines, events and UTF-8 sequences anywhere. Comments, `retry:` and malformed fields are
 * skipped; an event still unterminated when the body ends is dropped (the SSE rules). An event
 * longer than `maxEventChars` fails the stream with a retryable `streamDisconnected` error
 * instead of growing without bound.
 *
 * @example
 * body$.pipe(sseMessages()).subscribe((message) => console.log(message.event, message.data));
 */
export function sseMessages(maxEventChars: number = DEFAULT_MAX_SSE_EVENT_CHARS): OperatorFunction<string | Uint8Array, EventSourceMessage> {
  return (source) =>
    new Observable<EventSourceMessage>((subscriber) => {
      const decoder = new TextDecoder('utf-8');
      const parser = createParser({
        maxBufferSize: maxEventChars,
        onEvent: (message) => subscriber.next(message),
        onError: (error) => {
          if (error.type === 'max-buffer-size-exceeded') subscriber.error(streamDisconnected(`an SSE event exceeded ${maxEventChars} characters`));
        },
      });
      return source.subscribe({
        next: (chunk) => {
          if (!subscriber.closed) parser.feed(typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true }));
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => {
          parser.feed(decoder.decode());
          subscriber.complete();
        },
      });
    });
}
