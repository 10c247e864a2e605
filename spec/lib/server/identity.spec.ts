import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { ProcessIdentity, isHeaderValue } from '../../../lib/server/identity.js';
import { VERSION } from '../../../lib/version.js';

describe('ProcessIdentity', () => {
  it('takes the originator from the first client only; the suffix follows the latest', () => {
    const id = new ProcessIdentity({ TERM: 'xterm' });
    id.adoptClient({ name: 'first', version: '1' });
    id.adoptClient({ name: 'second', version: '2' });
    expect(id.originator).to.equal('first');
    expect(id.userAgent()).to.match(/^first\/\S+ \([^;()]+; [^)]+\) xterm \(second; 2\)$/);
  });

  it('prefers CODEX_INTERNAL_ORIGINATOR_OVERRIDE, and falls back to the default when it is not a header value', () => {
    expect(new ProcessIdentity({ CODEX_INTERNAL_ORIGINATOR_OVERRIDE: 'ovr' }).originator).to.equal('ovr');
    expect(new ProcessIdentity({ CODEX_INTERNAL_ORIGINATOR_OVERRIDE: 'bad\nvalue' }).originator).to.equal('codex_cli_rs');
    expect(new ProcessIdentity({}).originator).to.equal('codex_cli_rs');
  });

  it('names the terminal from TERM_PROGRAM and its version, else TERM', () => {
    const id = new ProcessIdentity({ TERM_PROGRAM: 'iTerm.app', TERM_PROGRAM_VERSION: '3.5', TERM: 'xterm' });
    expect(id.userAgent()).to.contain(') iTerm.app/3.5');
  });

  it('replaces characters a header cannot carry', () => {
    const id = new ProcessIdentity({ TERM: 'xterm' });
    id.adoptClient({ name: 'ok', version: 'vé' });
    const ua = id.userAgent();
    expect(isHeaderValue(ua)).to.equal(true);
    expect(ua).to.match(/\(ok; v_\)$/);
  });

  it('reports the package version', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../../../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(VERSION).to.equal(pkg.version);
  });
});
