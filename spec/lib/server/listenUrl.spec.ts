import { expect } from 'chai';
import { parseListenUrl } from '../../../lib/server/listenUrl.js';

describe('parseListenUrl', () => {
  it('reads stdio:// and ws://IP:PORT', () => {
    expect(parseListenUrl('stdio://')).to.deep.equal({ kind: 'stdio' });
    expect(parseListenUrl('ws://127.0.0.1:4500')).to.deep.equal({ kind: 'websocket', host: '127.0.0.1', port: 4500 });
    expect(parseListenUrl('ws://[::1]:0')).to.deep.equal({ kind: 'websocket', host: '::1', port: 0 });
  });

  it('refuses host names and other schemes with the reference messages', () => {
    expect(() => parseListenUrl('ws://localhost:1234')).to.throw('invalid websocket --listen URL `ws://localhost:1234`; expected `ws://IP:PORT`');
    expect(() => parseListenUrl('ws://127.0.0.1')).to.throw('invalid websocket --listen URL');
    expect(() => parseListenUrl('ws://127.0.0.1:70000')).to.throw('invalid websocket --listen URL');
    expect(() => parseListenUrl('http://127.0.0.1:1')).to.throw('unsupported --listen URL `http://127.0.0.1:1`; expected `stdio://` or `ws://IP:PORT`');
  });
});
