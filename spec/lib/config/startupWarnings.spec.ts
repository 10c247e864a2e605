import { expect } from 'chai';
import type { ConfigWarningNotification } from '../../../lib/protocol/v2/notifications.js';
import type { ServerContext } from '../../../lib/server/serverContext.js';
import { announceStartupWarnings, rememberStartupWarnings } from '../../../lib/config/startupWarnings.js';

/** Just enough of a server to see what it broadcasts. */
const fakeServer = () => {
  const sent: Array<{ method: string; params: unknown }> = [];
  const server = { broadcast: (method: string, params: unknown) => void sent.push({ method, params }) } as unknown as ServerContext;
  return { server, sent };
};

const warning: ConfigWarningNotification = { summary: 'Invalid configuration; using defaults.', details: 'x' };

describe('startup config warnings', () => {
  // The warnings are also logged; keep them out of the test output.
  let logLevel: string | undefined;
  before(() => {
    logLevel = process.env.RXAGENT_LOG;
    process.env.RXAGENT_LOG = 'off';
  });
  after(() => {
    if (logLevel === undefined) delete process.env.RXAGENT_LOG;
    else process.env.RXAGENT_LOG = logLevel;
  });

  it('broadcasts nothing for a server that recorded no load', () => {
    const { server, sent } = fakeServer();
    announceStartupWarnings(server);
    expect(sent).to.deep.equal([]);
  });

  it('broadcasts the warnings at once when the load has finished, after every initialize', async () => {
    const { server, sent } = fakeServer();
    let finished!: () => void;
    const done = new Promise<void>((resolve) => (finished = resolve));
    rememberStartupWarnings(server, async () => {
      setImmediate(finished);
      return [warning];
    });
    await done;
    announceStartupWarnings(server);
    expect(sent).to.deep.equal([{ method: 'configWarning', params: warning }]);
    announceStartupWarnings(server);
    expect(sent).to.have.length(2);
  });

  it('broadcasts once the load ends when initialize comes first', async () => {
    const { server, sent } = fakeServer();
    let release!: (list: ConfigWarningNotification[]) => void;
    rememberStartupWarnings(server, () => new Promise((resolve) => (release = resolve)));
    announceStartupWarnings(server);
    expect(sent).to.deep.equal([]);
    await new Promise<void>((resolve) => setImmediate(resolve));
    release([warning]);
    await new Promise<void>((resolve) => setImmediate(resolve));
    expect(sent).to.deep.equal([{ method: 'configWarning', params: warning }]);
  });

  it('announces nothing when the load itself fails', async () => {
    const { server, sent } = fakeServer();
    let failed!: () => void;
    const done = new Promise<void>((resolve) => (failed = resolve));
    rememberStartupWarnings(server, async () => {
      setImmediate(failed);
      throw new Error('boom');
    });
    await done;
    announceStartupWarnings(server);
    expect(sent).to.deep.equal([]);
  });
});
