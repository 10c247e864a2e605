import { expect } from 'chai';
import { chatgptClaims, jwtPayload, MalformedJwtError, planTypeOf } from '../../../lib/auth/jwt.js';
import { chatgptJwt, fakeJwt } from './authStandIns.js';

describe('jwt', () => {
  it('reads email, plan, user and workspace claims of a ChatGPT token', () => {
    expect(chatgptClaims(chatgptJwt({ email: 'a@b.c', plan: 'plus', accountId: 'ws-9' }), 'token')).to.deep.equal({
      email: 'a@b.c',
      planType: 'plus',
      userId: 'user-1',
      accountId: 'ws-9',
    });
  });

  it('falls back to the profile email and to user_id', () => {
    const token = fakeJwt({ 'https://api.openai.com/profile': { email: 'p@b.c' }, 'https://api.openai.com/auth': { user_id: 'u-2' } });
    expect(chatgptClaims(token, 'token')).to.deep.equal({ email: 'p@b.c', planType: null, userId: 'u-2', accountId: null });
  });

  it('refuses what is not a three-part JWT with a JSON object payload, without quoting it', () => {
    for (const bad of ['sk-secret', 'a.b', 'a..c', `x.${Buffer.from('[1]').toString('base64url')}.y`, 'x.%%%.y']) {
      expect(() => jwtPayload(bad, 'access token')).to.throw(MalformedJwtError, 'the access token is not a JWT with a readable payload');
    }
  });

  it('maps raw plans to the wire PlanType', () => {
    expect(['Pro', 'hc', 'education', 'team', 'weird'].map(planTypeOf)).to.deep.equal(['pro', 'enterprise', 'edu', 'team', 'unknown']);
  });
});
