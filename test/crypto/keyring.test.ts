import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DecryptionError, Keyring, UnknownKeyError } from '../../crypto/keyring.js';

const newKey = (id: string) => ({ id, key: randomBytes(32) });
const text = (value: string) => Buffer.from(value, 'utf8');

describe('keyring', () => {
  it('opens what it sealed, and the ciphertext does not contain the plaintext', () => {
    const keys = new Keyring({ keys: [newKey('k1')] }).forPurpose('test');
    const sealed = keys.seal(text('CANARY-plaintext'));
    expect(sealed.keyId).toBe('k1');
    expect(sealed.data.includes(text('CANARY'))).toBe(false);
    expect(keys.open(sealed).toString()).toBe('CANARY-plaintext');
  });

  it('uses a fresh IV each time: the same plaintext never seals to the same bytes', () => {
    const keys = new Keyring({ keys: [newKey('k1')] }).forPurpose('test');
    expect(keys.seal(text('same')).data.equals(keys.seal(text('same')).data)).toBe(false);
  });

  it('still opens data sealed with a rotated-out key after a new key becomes active', () => {
    const old = newKey('2026-05');
    const sealedBefore = new Keyring({ keys: [old] }).forPurpose('test').seal(text('before rotation'));
    const rotated = new Keyring({ keys: [newKey('2026-11'), old] }).forPurpose('test');
    expect(rotated.seal(text('after')).keyId).toBe('2026-11');
    expect(rotated.open(sealedBefore).toString()).toBe('before rotation');
  });

  it('names the missing key when data was sealed with a key no longer in the ring', () => {
    const sealed = new Keyring({ keys: [newKey('gone')] }).forPurpose('test').seal(text('x'));
    expect(() => new Keyring({ keys: [newKey('k2')] }).forPurpose('test').open(sealed)).toThrow(UnknownKeyError);
  });

  it('detects tampering', () => {
    const keys = new Keyring({ keys: [newKey('k1')] }).forPurpose('test');
    const sealed = keys.seal(text('amount=10'));
    sealed.data[14] = sealed.data[14]! ^ 0xff;
    expect(() => keys.open(sealed)).toThrow(DecryptionError);
  });

  it('binds associated data: a value moved to another record does not open', () => {
    const keys = new Keyring({ keys: [newKey('k1')] }).forPurpose('test');
    const sealed = keys.seal(text('secret'), text('record-1'));
    expect(keys.open(sealed, text('record-1')).toString()).toBe('secret');
    expect(() => keys.open(sealed, text('record-2'))).toThrow(DecryptionError);
  });

  it('derives a separate key per purpose from the same master key', () => {
    const keyring = new Keyring({ keys: [newKey('k1')] });
    const sealed = keyring.forPurpose('temporal-payload').seal(text('x'));
    expect(() => keyring.forPurpose('database-field').open(sealed)).toThrow(DecryptionError);
  });
});
