import { expect } from 'chai';
import { failedResponseError, httpStatusError, ModelError, type HttpFailure } from '../../../lib/model/modelError.js';
import { readPayload } from '../../../lib/model/modelEvents.js';
import { rateLimitsFromEvent, rateLimitsFromHeaders } from '../../../lib/model/rateLimits.js';
import { backoffDelayMs, MAX_RETRY_AFTER_MS, retryAfterMs } from '../../../lib/model/retry.js';

const failure = (status: number, body: unknown, headers: Record<string, string> = {}): HttpFailure => ({
  status,
  body: typeof body === 'string' ? body : JSON.stringify(body),
  url: 'http://127.0.0.1:9/v1/responses',
  headers,
  now: new Date('2026-02-12T10:00:00Z'),
});

const summary = (error: ModelError) => ({ kind: error.kind, info: error.codexErrorInfo, retryable: error.retryable });

describe('model request errors (SPEC §12.3, §12.4)', () => {
  describe('httpStatusError', () => {
    it('maps each status the way the reference does', () => {
      expect(summary(httpStatusError(failure(400, { error: { message: 'bad tool schema' } })))).to.deep.equal({ kind: 'invalidRequest', info: 'other', retryable: false });
      expect(summary(httpStatusError(failure(400, 'The image data you provided does not represent a valid image.')))).to.deep.equal({ kind: 'invalidImage', info: 'other', retryable: false });
      expect(summary(httpStatusError(failure(401, '')))).to.deep.equal({ kind: 'unauthorized', info: 'unauthorized', retryable: false });
      expect(summary(httpStatusError(failure(429, { error: { type: 'usage_limit_reached' } })))).to.deep.equal({ kind: 'usageLimitReached', info: 'usageLimitExceeded', retryable: false });
      expect(summary(httpStatusError(failure(429, { error: { type: 'usage_not_included' } })))).to.deep.equal({ kind: 'usageNotIncluded', info: 'usageLimitExceeded', retryable: false });
      expect(summary(httpStatusError(failure(429, 'slow down')))).to.deep.equal({ kind: 'retryLimit', info: { responseTooManyFailedAttempts: { httpStatusCode: 429 } }, retryable: false });
      expect(summary(httpStatusError(failure(500, '')))).to.deep.equal({ kind: 'internalServerError', info: 'internalServerError', retryable: true });
      expect(summary(httpStatusError(failure(503, { error: { code: 'server_is_overloaded' } })))).to.deep.equal({ kind: 'serverOverloaded', info: 'serverOverloaded', retryable: false });
      expect(summary(httpStatusError(failure(503, { error: { code: 'slow_down' } })))).to.deep.equal({ kind: 'serverOverloaded', info: 'serverOverloaded', retryable: false });
      expect(summary(httpStatusError(failure(502, 'bad gateway')))).to.deep.equal({ kind: 'unexpectedStatus', info: 'other', retryable: true });
    });

    it('says what an unexpected status was, where, and which request, with the body cut short', () => {
      const error = httpStatusError(failure(404, 'x'.repeat(5000), { 'x-request-id': 'req-1' }));
      expect(error.message).to.equal(`unexpected status 404 Not Found: ${'x'.repeat(4096)}…, url: http://127.0.0.1:9/v1/responses, request id: req-1`);
      expect(error.httpStatusCode).to.equal(404);
    });

    it('tells a user on a usage limit when to come back, by plan', () => {
      const resetsAt = Date.parse('2026-02-13T15:30:00Z') / 1000;
      const plus = httpStatusError(failure(429, { error: { type: 'usage_limit_reached', plan_type: 'plus', resets_at: resetsAt } }));
      expect(plus.message).to.match(/^You've hit your usage limit\. Upgrade to Pro .* or try again at Feb 13th, 2026 \d{1,2}:30 (AM|PM)\.$/);
      const free = httpStatusError(failure(429, { error: { type: 'usage_limit_reached', plan_type: 'free' } }));
      expect(free.message).to.equal("You've hit your usage limit. Upgrade to Plus to continue using Codex (https://openai.com/chatgpt/pricing).");
    });

    it('keeps the delay a Retry-After asked for', () => {
      expect(httpStatusError({ ...failure(429, ''), retryAfterMs: 2000 }).retryAfterMs).to.equal(2000);
    });
  });

  describe('failedResponseError', () => {
    it('classifies a response.failed by its error code', () => {
      expect(failedResponseError({ code: 'context_length_exceeded' }).codexErrorInfo).to.equal('contextWindowExceeded');
      expect(failedResponseError({ code: 'insufficient_quota' }).kind).to.equal('quotaExceeded');
      expect(failedResponseError({ code: 'usage_not_included' }).codexErrorInfo).to.equal('usageLimitExceeded');
      expect(failedResponseError({ code: 'invalid_prompt', message: 'Prompt flagged' })).to.include({ kind: 'invalidRequest', message: 'Prompt flagged' });
      expect(failedResponseError({ code: 'server_is_overloaded' }).kind).to.equal('serverOverloaded');
      expect(failedResponseError({ code: 'server_error', message: 'oops' })).to.include({ kind: 'streamDisconnected', message: 'stream disconnected before completion: oops', retryable: true });
      expect(failedResponseError(undefined).message).to.equal('stream disconnected before completion: response.failed event received');
    });

    it('reads the delay of a rate_limit_exceeded message, in seconds or milliseconds', () => {
      expect(failedResponseError({ code: 'rate_limit_exceeded', message: 'Please try again in 11.054s.' }).retryAfterMs).to.equal(11054);
      expect(failedResponseError({ code: 'rate_limit_exceeded', message: 'Try again in 35ms' }).retryAfterMs).to.equal(35);
      expect(failedResponseError({ code: 'rate_limit_exceeded', message: 'try again in 2 seconds' }).retryAfterMs).to.equal(2000);
      expect(failedResponseError({ code: 'other', message: 'try again in 2s' }).retryAfterMs).to.equal(undefined);
    });
  });

  describe('readPayload', () => {
    const read = (event: unknown) => readPayload(JSON.stringify(event), () => new Date(0));

    it('reads a completion with its usage into the core token usage', () => {
      const step = read({
        type: 'response.completed',
        response: { id: 'r1', usage: { input_tokens: 10, input_tokens_details: { cached_tokens: 4 }, output_tokens: 6, output_tokens_details: { reasoning_tokens: 2 }, total_tokens: 16 } },
      });
      expect(step).to.deep.equal({
        kind: 'completed',
        event: { type: 'completed', responseId: 'r1', tokenUsage: { input_tokens: 10, cached_input_tokens: 4, output_tokens: 6, reasoning_output_tokens: 2, total_tokens: 16 }, canAppend: false },
      });
      expect(read({ type: 'response.done', response: { id: 'r2' } })).to.deep.equal({ kind: 'completed', event: { type: 'completed', responseId: 'r2', tokenUsage: null, canAppend: true } });
    });

    it('fails a completion it cannot read rather than pass it for success', () => {
      const step = read({ type: 'response.completed', response: {} });
      expect(step.kind).to.equal('failed');
    });

    it('decodes output items in the written form (bare function output, unknown types as other)', () => {
      expect(read({ type: 'response.output_item.done', item: { type: 'function_call_output', call_id: 'c1', output: 'ok' } })).to.deep.equal({
        kind: 'event',
        event: { type: 'outputItemDone', item: { type: 'function_call_output', call_id: 'c1', output: { body: 'ok' } } },
      });
      expect(read({ type: 'response.output_item.added', item: { type: 'image_generation_call', id: 'x' } })).to.deep.equal({ kind: 'event', event: { type: 'outputItemAdded', item: { type: 'other' } } });
      expect(read({ type: 'response.output_item.done', item: { type: 'message' } })).to.deep.equal({ kind: 'ignored' });
    });

    it('reads raw reasoning deltas with their content index', () => {
      expect(read({ type: 'response.reasoning_text.delta', delta: 'hm', content_index: 1 })).to.deep.equal({ kind: 'event', event: { type: 'reasoningContentDelta', delta: 'hm', contentIndex: 1 } });
    });

    it('fails on response.incomplete with its reason', () => {
      const step = read({ type: 'response.incomplete', response: { incomplete_details: { reason: 'max_output_tokens' } } });
      expect(step.kind === 'failed' && step.error.message).to.equal('stream disconnected before completion: Incomplete response returned, reason: max_output_tokens');
    });

    it('maps an error frame with a status as that HTTP status, and a bare error event by its code', () => {
      const framed = read({ type: 'error', status: 429, error: { type: 'usage_limit_reached', message: 'limit' }, headers: {} });
      expect(framed.kind === 'failed' && framed.error.kind).to.equal('usageLimitReached');
      const bare = read({ type: 'error', code: 'context_length_exceeded', message: 'too long' });
      expect(bare.kind === 'failed' && bare.error.kind).to.equal('contextWindowExceeded');
    });

    it('reads a codex.rate_limits event', () => {
      const step = read({ type: 'codex.rate_limits', plan_type: 'pro', rate_limits: { primary: { used_percent: 12, window_minutes: 300, reset_at: 1700000000 } } });
      expect(step).to.deep.equal({
        kind: 'event',
        event: {
          type: 'rateLimits',
          snapshots: [{ limit_id: 'codex', limit_name: null, primary: { used_percent: 12, window_minutes: 300, resets_at: 1700000000 }, secondary: null, credits: null, plan_type: 'pro' }],
        },
      });
    });
  });

  describe('rateLimitsFromHeaders', () => {
    it('always reports the codex snapshot, empty without headers, as the reference does', () => {
      expect(rateLimitsFromHeaders({})).to.deep.equal([{ limit_id: 'codex', limit_name: null, primary: null, secondary: null, credits: null, plan_type: null }]);
    });

    it('reads the windows and the other limit families that carry data', () => {
      const snapshots = rateLimitsFromHeaders({
        'x-codex-primary-used-percent': '12.5',
        'x-codex-primary-window-minutes': '300',
        'x-codex-primary-reset-at': '1704069000',
        'x-codex-secondary-used-percent': '0',
        'x-codex-other-primary-used-percent': '80',
        'x-codex-other-limit-name': 'gpt-5.2-codex-sonic',
        'x-empty-primary-used-percent': '0',
      });
      expect(snapshots.map((s) => s.limit_id)).to.deep.equal(['codex', 'codex_other']);
      expect(snapshots[0]).to.deep.include({ primary: { used_percent: 12.5, window_minutes: 300, resets_at: 1704069000 }, secondary: null, credits: null });
      expect(snapshots[1]).to.deep.include({ limit_name: 'gpt-5.2-codex-sonic', primary: { used_percent: 80, window_minutes: null, resets_at: null } });
    });

    it('reads the credits into every snapshot', () => {
      const [codex] = rateLimitsFromHeaders({ 'x-codex-credits-has-credits': 'true', 'x-codex-credits-unlimited': '0', 'x-codex-credits-balance': '9.99' });
      expect(codex?.credits).to.deep.equal({ has_credits: true, unlimited: false, balance: '9.99' });
    });

    it('ignores payloads that are not rate-limit events', () => {
      expect(rateLimitsFromEvent({ type: 'response.created' })).to.equal(undefined);
    });
  });

  describe('retry delays', () => {
    it('doubles from 200 ms with a jitter in [0.9, 1.1)', () => {
      expect([1, 2, 3, 4].map((n) => backoffDelayMs(n, () => 0.5))).to.deep.equal([200, 400, 800, 1600]);
      expect(backoffDelayMs(1, () => 0)).to.equal(180);
      expect(backoffDelayMs(1, () => 0.999)).to.equal(219);
    });

    it('reads Retry-After in seconds, as a date, or retry-after-ms, capped', () => {
      const now = new Date('2026-02-12T10:00:00Z');
      expect(retryAfterMs({ 'retry-after': '2' }, now)).to.equal(2000);
      expect(retryAfterMs({ 'retry-after': 'Thu, 12 Feb 2026 10:00:05 GMT' }, now)).to.equal(5000);
      expect(retryAfterMs({ 'retry-after-ms': '150', 'retry-after': '9' }, now)).to.equal(150);
      expect(retryAfterMs({ 'retry-after': '86400' }, now)).to.equal(MAX_RETRY_AFTER_MS);
      expect(retryAfterMs({ 'retry-after': 'soon' }, now)).to.equal(undefined);
      expect(retryAfterMs({}, now)).to.equal(undefined);
    });
  });
});
