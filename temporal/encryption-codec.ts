import type { Payload, PayloadCodec } from '@temporalio/common';
import { METADATA_ENCODING_KEY } from '@temporalio/common';
import protoModule from '@temporalio/proto';
import { KeyPurpose, type Keyring, type PurposeKeyring } from '../crypto/keyring.js';

const { temporal } = protoModule;
const ENCODING = 'binary/encrypted';
const KEY_ID = 'encryption-key-id';
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * Seals every payload (the whole serialized Payload, metadata included) with
 * AES-256-GCM so Temporal history and visibility only ever hold ciphertext.
 * The key id travels in metadata so rotated-out keys still decrypt.
 */
export class EncryptionCodec implements PayloadCodec {
  private readonly keys: PurposeKeyring;

  constructor(keyring: Keyring) {
    this.keys = keyring.forPurpose(KeyPurpose.temporalPayload);
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      const sealed = this.keys.seal(temporal.api.common.v1.Payload.encode(payload).finish());
      return {
        metadata: { [METADATA_ENCODING_KEY]: encoder.encode(ENCODING), [KEY_ID]: encoder.encode(sealed.keyId) },
        data: sealed.data,
      };
    });
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      const encoding = payload.metadata?.[METADATA_ENCODING_KEY];
      if (!encoding || decoder.decode(encoding) !== ENCODING) return payload;
      const keyId = payload.metadata?.[KEY_ID];
      if (!keyId || !payload.data) throw new Error('Encrypted payload is missing its key id or data');
      const plain = this.keys.open({ keyId: decoder.decode(keyId), data: Buffer.from(payload.data) });
      return temporal.api.common.v1.Payload.decode(plain);
    });
  }
}
