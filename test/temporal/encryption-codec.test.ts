import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { defaultPayloadConverter } from '@temporalio/common';
import { Keyring } from '../../crypto/keyring.js';
import { EncryptionCodec } from '../../temporal/encryption-codec.js';

const keyring = (...ids: string[]) => new Keyring({ keys: ids.map((id) => ({ id, key: randomBytes(32) })) });
const decode = (bytes: Uint8Array | null | undefined) => new TextDecoder().decode(bytes ?? new Uint8Array());

describe('encryption codec', () => {
  it('round-trips payloads, metadata included', async () => {
    const codec = new EncryptionCodec(keyring('k1'));
    const original = defaultPayloadConverter.toPayload({ text: 'CANARY-1234' });
    const [encoded] = await codec.encode([original]);
    const [decoded] = await codec.decode([encoded!]);
    expect(defaultPayloadConverter.fromPayload(decoded!)).toEqual({ text: 'CANARY-1234' });
  });

  it('hides the data and its original encoding, and names the key used', async () => {
    const codec = new EncryptionCodec(keyring('k1'));
    const [encoded] = await codec.encode([defaultPayloadConverter.toPayload({ text: 'CANARY-1234' })]);
    expect(decode(encoded!.metadata!.encoding)).toBe('binary/encrypted');
    expect(decode(encoded!.metadata!['encryption-key-id'])).toBe('k1');
    expect(Buffer.from(encoded!.data!).includes(Buffer.from('CANARY'))).toBe(false);
    expect(Buffer.from(encoded!.data!).includes(Buffer.from('json/plain'))).toBe(false);
  });

  it('decodes payloads encrypted with an older key after rotation', async () => {
    const oldKey = { id: 'old', key: randomBytes(32) };
    const [encoded] = await new EncryptionCodec(new Keyring({ keys: [oldKey] })).encode([
      defaultPayloadConverter.toPayload('history from last year'),
    ]);
    const rotated = new Keyring({ keys: [{ id: 'new', key: randomBytes(32) }, oldKey] });
    const [decoded] = await new EncryptionCodec(rotated).decode([encoded!]);
    expect(defaultPayloadConverter.fromPayload(decoded!)).toBe('history from last year');
  });

  it('passes through payloads that were never encrypted', async () => {
    const plain = defaultPayloadConverter.toPayload('plain');
    expect(await new EncryptionCodec(keyring('k1')).decode([plain])).toEqual([plain]);
  });
});
