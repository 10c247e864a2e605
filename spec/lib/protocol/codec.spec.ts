import { expect } from 'chai';
import * as t from 'io-ts';
import { alias, anyJson, closed, int32, int64, uint, uint16 } from '../../../lib/protocol/codec.js';

describe('wire codec building blocks', () => {
  describe('integers', () => {
    it('accept integers and reject floats, as serde does', () => {
      expect(int64.is(-42)).to.equal(true);
      expect(int64.is(1.5)).to.equal(false);
      expect(int64.is('1')).to.equal(false);
      expect(int32.is(Number.NaN)).to.equal(false);
    });

    it('reject negatives for unsigned formats', () => {
      expect(uint.is(0)).to.equal(true);
      expect(uint.is(-1)).to.equal(false);
      expect(uint16.minimum).to.equal(0);
      expect(int64.minimum).to.equal(undefined);
    });
  });

  describe('closed', () => {
    const Other = closed({ other: t.string }, 'OtherSubAgentSource');
    it('rejects members it does not list', () => {
      expect(Other.is({ other: 'x' })).to.equal(true);
      expect(Other.is({ other: 'x', more: 1 })).to.equal(false);
      expect(Other.decode({ other: 'x', more: 1 })._tag).to.equal('Left');
    });
  });

  describe('anyJson', () => {
    it('accepts any value but requires the member to be there', () => {
      const Write = t.type({ value: anyJson });
      expect(Write.is({ value: null })).to.equal(true);
      expect(Write.is({ value: [1] })).to.equal(true);
      expect(Write.is({})).to.equal(false);
      expect(Write.decode({})._tag).to.equal('Left');
      expect(t.type({ value: t.unknown }).decode({})._tag).to.equal('Right');
    });
  });

  describe('alias', () => {
    it('behaves as the aliased codec under its own name', () => {
      const ThreadId = alias('ThreadId', t.string);
      expect(ThreadId.name).to.equal('ThreadId');
      expect(ThreadId.is('t')).to.equal(true);
      expect(ThreadId.is(1)).to.equal(false);
    });
  });
});
