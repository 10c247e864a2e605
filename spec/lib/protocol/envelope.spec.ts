import { expect } from 'chai';
import {
  JSONRPCError,
  JSONRPCErrorError,
  JSONRPCMessage,
  JSONRPCNotification,
  JSONRPCRequest,
  JSONRPCResponse,
  RequestId,
} from '../../../lib/protocol/envelope.js';
import { reference } from './support/validators.js';

describe('JSON-RPC envelope', () => {
  it('takes string and integer ids, never floats', () => {
    expect(RequestId.is('abc')).to.equal(true);
    expect(RequestId.is(0)).to.equal(true);
    expect(RequestId.is(-3)).to.equal(true);
    expect(RequestId.is(1.5)).to.equal(false);
    expect(RequestId.is(null)).to.equal(false);
  });

  it('tries Request, Notification, Response, Error in that order', () => {
    const kind = (m: unknown) =>
      [JSONRPCRequest, JSONRPCNotification, JSONRPCResponse, JSONRPCError].find((c) => c.is(m))?.name;
    expect(kind({ id: 1, method: 'thread/read', params: {} })).to.equal('JSONRPCRequest');
    expect(kind({ id: 1, method: 'initialized' })).to.equal('JSONRPCRequest');
    expect(kind({ method: 'initialized' })).to.equal('JSONRPCNotification');
    expect(kind({ id: 1, result: null })).to.equal('JSONRPCResponse');
    expect(kind({ id: 1, error: { code: -32600, message: 'Not initialized' } })).to.equal('JSONRPCError');
    expect(kind({ id: 1 })).to.equal(undefined);
  });

  it('requires a result member on responses, whatever its value', () => {
    expect(JSONRPCResponse.is({ id: 1 })).to.equal(false);
    expect(JSONRPCResponse.is({ id: 1, result: null })).to.equal(true);
  });

  it('takes an error object with optional data', () => {
    expect(JSONRPCErrorError.is({ code: -32602, message: 'bad', data: { kind: 'invalidParams' } })).to.equal(true);
    expect(JSONRPCErrorError.is({ code: -32602.5, message: 'bad' })).to.equal(false);
    expect(JSONRPCErrorError.is({ message: 'bad' })).to.equal(false);
  });

  it('agrees with the reference schema on every shape', () => {
    const samples: unknown[] = [
      { id: 1, method: 'm' },
      { id: 'a', method: 'm', params: [1] },
      { id: 1.5, method: 'm' },
      { method: 'm' },
      { method: 3 },
      { id: 1, result: {} },
      { id: 1 },
      { id: 1, error: { code: 1, message: 'x' } },
      { id: 1, error: { code: 1 } },
      { id: null, error: { code: 1, message: 'x' } },
      'not an object',
    ];
    for (const sample of samples) {
      expect(JSONRPCMessage.is(sample), JSON.stringify(sample)).to.equal(reference.validate('JSONRPCMessage', sample));
    }
  });
});
