import * as t from 'io-ts';
import { serverAuth } from '../../auth/serverAuth.js';
import { fetchUsage, UsageFetchError } from '../../auth/usageClient.js';
import { authSettings, readUserConfig } from '../../auth/userConfig.js';
import { GetAccountRateLimitsResponse } from '../../protocol/v2/account.js';
import { rateLimitsWire } from '../../turns/rateLimitsWire.js';
import { handle } from '../handler.js';
import { rpcError } from '../rpcError.js';

/**
 * `account/rateLimits/read` (SPEC §9.4): the ChatGPT account's usage limits, read from the
 * backend (`GET {chatgpt_base_url}/wham/usage`) at each call. `rateLimits` is the `codex` limit,
 * `rateLimitsByLimitId` every limit by id. Needs a ChatGPT sign-in (stored or client-supplied
 * tokens); a backend failure is `-32603` saying what failed.
 */
export const accountRateLimitsRead = handle('account/rateLimits/read', t.null, GetAccountRateLimitsResponse, async (_params, ctx) => {
  const { auth, queue } = serverAuth(ctx.server);
  const credentials = await queue.run(async () => {
    const current = await auth.credentials();
    if (current === undefined) throw rpcError.invalidRequest('codex account authentication required to read rate limits', 'notSignedIn');
    if (current.mode === 'apikey') throw rpcError.invalidRequest('chatgpt authentication required to read rate limits', 'chatgptAuthRequired');
    return current;
  });
  let snapshots;
  try {
    snapshots = await fetchUsage({
      chatgptBaseUrl: authSettings(readUserConfig(ctx.server)).chatgptBaseUrl,
      credentials,
      userAgent: ctx.server.identity.userAgent(),
    });
  } catch (err) {
    if (err instanceof UsageFetchError) throw rpcError.internal(`failed to fetch codex rate limits: ${err.message}`);
    throw err;
  }
  const wire = snapshots.map(rateLimitsWire);
  return {
    rateLimits: wire.find((s) => s.limitId === 'codex') ?? wire[0]!,
    rateLimitsByLimitId: Object.fromEntries(wire.map((s) => [s.limitId, s])),
  };
});
