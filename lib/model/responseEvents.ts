import { Observable, type OperatorFunction } from 'rxjs';
import { streamDisconnected } from './modelError.js';
import { readPayload, type ModelEvent } from './modelEvents.js';

/**
 * Turns the JSON payloads of one response (SSE `data:` or WebSocket text frames) into
 * `ModelEvent`s with the completion rules of SPEC §12.3: `response.completed` (or `.done`) is
 * emitted and completes the stream, unsubscribing from the payloads; `response.failed`,
 * `response.incomplete` and in-stream errors fail it with a `ModelError`; payloads that end
 * without a completion fail it with "stream closed before response.completed", never a silent
 * success. Unknown or unreadable payloads are skipped.
 *
 * @example
 * sse$.pipe(map((m) => m.data), responseEvents()).subscribe(handleModelEvent);
 */
export function responseEvents(now: () => Date = () => new Date()): OperatorFunction<string, ModelEvent> {
  return (source) =>
    new Observable<ModelEvent>((subscriber) =>
      source.subscribe({
        next: (data) => {
          if (subscriber.closed) return;
          const step = readPayload(data, now);
          switch (step.kind) {
            case 'event':
              subscriber.next(step.event);
              break;
            case 'completed':
              subscriber.next(step.event);
              subscriber.complete();
              break;
            case 'failed':
              subscriber.error(step.error);
              break;
            case 'ignored':
              break;
          }
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => subscriber.error(streamDisconnected('stream closed before response.completed')),
      }),
    );
}
