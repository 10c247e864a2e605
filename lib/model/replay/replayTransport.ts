import { concatMap, defer, from, map, Observable, of, switchMap, timer } from 'rxjs';
import type { AttemptClock } from '../httpTransport.js';
import { ModelError } from '../modelError.js';
import type { ModelEvent } from '../modelEvents.js';
import type { ResponsesTarget } from '../requestTarget.js';
import { responseEvents } from '../responseEvents.js';
import { sseMessages } from '../sseStream.js';
import type { ReplayResponse, ReplayScript } from './scriptCodec.js';
import { bundledScripts, loadReplayScripts } from './scriptLoader.js';
import { requestFacts, selectResponse, type RequestFacts, type Selection } from './scriptSelection.js';
import { encodeResponse, type SseFrame } from './sseEncoding.js';

/** The message streamed when no script answers (a user's own scripts without a catch-all). */
const noScriptResponse = (scripts: readonly ReplayScript[]): ReplayResponse => ({
  output: [
    {
      type: 'message',
      text: `No replay script matches this request. The scripts are: ${scripts.map((s) => `"${s.name}"`).join(', ') || 'none'}. Add a script without \`match\` to answer anything else.`,
    },
  ],
});

/** The message streamed when a script has no response for the step the turn is at. */
const endOfScriptResponse = (script: ReplayScript, step: number): ReplayResponse => ({
  output: [{ type: 'message', text: `(The replay script "${script.name}" has no response for step ${step}; ending the turn here.)` }],
});

const chosen = (selection: Selection, scripts: readonly ReplayScript[]): { response: ReplayResponse; script?: ReplayScript } => {
  switch (selection.kind) {
    case 'response':
      return { response: selection.response, script: selection.script };
    case 'endOfScript':
      return { response: endOfScriptResponse(selection.script, selection.step), script: selection.script };
    case 'noScript':
      return { response: noScriptResponse(scripts) };
  }
};

/**
 * The SSE frames the replay provider streams for a request body: the matching script's response
 * for the turn's step. The per-delta pause is the provider's `delay_ms` when configured, else the
 * response's, else the script's (or its file's) `delayMs`.
 *
 * @example
 * replayFrames(body, bundledScripts(), undefined).map((f) => f.text).join(''); // 'event: response.created\ndata: …'
 */
export const replayFrames = (body: Record<string, unknown>, scripts: readonly ReplayScript[], providerDelayMs: number | undefined): SseFrame[] => {
  const facts: RequestFacts = requestFacts(body);
  const { response, script } = chosen(selectResponse(scripts, facts), scripts);
  const delayMs = providerDelayMs ?? response.delayMs ?? script?.delayMs ?? 0;
  const requestChars = JSON.stringify(body.input ?? []).length + (typeof body.instructions === 'string' ? body.instructions.length : 0);
  return encodeResponse(response, { responseId: `resp_replay_${facts.inputLength}`, idPrefix: String(facts.inputLength), delayMs, facts, requestChars });
};

/**
 * One response of the offline `replay` provider: instead of `POST {base_url}/responses`, the
 * request body picks a script (bundled demos, or the provider's `scripts` file or folder), whose
 * response is framed as SSE text and decoded exactly like an HTTP response body (`sseMessages`,
 * then `responseEvents`/`readPayload`), with its deltas paced on the clock's scheduler. Scripts
 * that cannot be read fail the request with a non-retryable `invalidRequest` error naming the
 * problem.
 *
 * @example
 * replayResponseEvents(responsesBody(request), { provider: builtInModelProviders(env).replay!, context }, clock).subscribe(handle);
 */
export const replayResponseEvents = (body: Record<string, unknown>, target: ResponsesTarget, clock: AttemptClock): Observable<ModelEvent> => {
  const options = target.provider.replay ?? {};
  const now = (): Date => new Date(clock.scheduler.now());
  const scripts = (): Promise<readonly ReplayScript[]> =>
    options.scripts === undefined
      ? Promise.resolve(bundledScripts())
      : loadReplayScripts(options.scripts).catch((err: unknown) => {
          throw new ModelError('invalidRequest', `replay provider: ${(err as Error).message}`);
        });
  return defer(scripts).pipe(
    switchMap((loaded) =>
      from(replayFrames(body, loaded, options.delayMs)).pipe(
        concatMap((frame) => (frame.delayMs > 0 ? timer(frame.delayMs, clock.scheduler).pipe(map(() => frame.text)) : of(frame.text))),
      ),
    ),
    sseMessages(),
    map((message) => message.data),
    responseEvents(now),
  );
};
