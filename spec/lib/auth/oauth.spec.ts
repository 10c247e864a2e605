import { expect } from 'chai';
import fc from 'fast-check';
import { authorizeUrl, CLIENT_ID, generatePkce, issuerOf, refreshUrlOf } from '../../../lib/auth/oauth.js';
import { s256 } from './authStandIns.js';

describe('oauth', () => {
  it('builds the authorize URL with the reference query, in order, strictly encoded', () => {
    const url = authorizeUrl({
      issuer: 'https://auth.example',
      redirectUri: 'http://localhost:1455/auth/callback',
      pkce: { verifier: 'v', challenge: 'chal' },
      state: 'st',
      originator: "my ide (1)",
      allowedWorkspaceId: 'ws-1',
    });
    expect(url).to.equal(
      'https://auth.example/oauth/authorize?response_type=code&client_id=' + CLIENT_ID +
        '&redirect_uri=http%3A%2F%2Flocalhost%3A1455%2Fauth%2Fcallback&scope=openid%20profile%20email%20offline_access' +
        '&code_challenge=chal&code_challenge_method=S256&id_token_add_organizations=true&codex_cli_simplified_flow=true' +
        '&state=st&originator=my%20ide%20%281%29&allowed_workspace_id=ws-1',
    );
  });

  it('leaves allowed_workspace_id out when no workspace is forced', () => {
    const url = authorizeUrl({ issuer: 'https://a', redirectUri: 'r', pkce: { verifier: 'v', challenge: 'c' }, state: 's', originator: 'o' });
    expect(new URL(url).searchParams.has('allowed_workspace_id')).to.equal(false);
  });

  it('generates PKCE pairs whose challenge is the S256 of a high-entropy verifier', () => {
    fc.assert(
      fc.property(fc.constant(null), () => {
        const { verifier, challenge } = generatePkce();
        return /^[A-Za-z0-9_-]{86}$/.test(verifier) && challenge === s256(verifier);
      }),
      { numRuns: 20 },
    );
    expect(generatePkce().verifier).not.to.equal(generatePkce().verifier);
  });

  it('takes the issuer and refresh URL from the environment', () => {
    expect(issuerOf({})).to.equal('https://auth.openai.com');
    expect(issuerOf({ RXAGENT_AUTH_ISSUER: 'http://127.0.0.1:9/' })).to.equal('http://127.0.0.1:9');
    expect(refreshUrlOf({ RXAGENT_AUTH_ISSUER: 'http://127.0.0.1:9' })).to.equal('http://127.0.0.1:9/oauth/token');
    expect(refreshUrlOf({ CODEX_REFRESH_TOKEN_URL_OVERRIDE: 'http://x/token' })).to.equal('http://x/token');
  });
});
