import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import type { EncryptionKey } from '../config/index.js';

const IV_BYTES = 12;
const TAG_BYTES = 16;

export interface Sealed {
  keyId: string;
  /** iv (12 bytes) ‖ ciphertext ‖ GCM tag (16 bytes) */
  data: Buffer;
}

export class UnknownKeyError extends Error {
  constructor(options: { keyId: string }) {
    super(`No encryption key with id "${options.keyId}" in the keyring (was it removed before its data was re-encrypted?)`);
    this.name = 'UnknownKeyError';
  }
}

export class DecryptionError extends Error {
  constructor(options: { keyId: string; cause?: unknown }) {
    super(`Could not decrypt data sealed with key "${options.keyId}": wrong key or tampered data`, { cause: options.cause });
    this.name = 'DecryptionError';
  }
}

/**
 * AES-256-GCM with rotating keys. Each master key is never used directly: a
 * subkey is derived per purpose (HKDF-SHA256), so Temporal payloads, database
 * fields and vault records never share a key. New data is sealed with the active
 * key; data sealed with any older key in the ring still opens.
 */
export class Keyring {
  private readonly masters: Map<string, Buffer>;
  readonly activeKeyId: string;

  constructor(options: { keys: EncryptionKey[]; activeKeyId?: string }) {
    if (options.keys.length === 0) throw new Error('A keyring needs at least one key');
    this.masters = new Map(options.keys.map(({ id, key }) => [id, key]));
    this.activeKeyId = options.activeKeyId ?? options.keys[0]!.id;
    if (!this.masters.has(this.activeKeyId)) throw new UnknownKeyError({ keyId: this.activeKeyId });
  }

  get keyIds(): string[] {
    return [...this.masters.keys()];
  }

  forPurpose(purpose: string): PurposeKeyring {
    return new PurposeKeyring({ purpose, masters: this.masters, activeKeyId: this.activeKeyId });
  }
}

export class PurposeKeyring {
  private readonly subkeys = new Map<string, Buffer>();
  private readonly purpose: string;
  private readonly masters: Map<string, Buffer>;
  readonly activeKeyId: string;

  constructor(options: { purpose: string; masters: Map<string, Buffer>; activeKeyId: string }) {
    this.purpose = options.purpose;
    this.masters = options.masters;
    this.activeKeyId = options.activeKeyId;
  }

  seal(plaintext: Uint8Array, associatedData?: Uint8Array): Sealed {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.subkey(this.activeKeyId), iv);
    if (associatedData) cipher.setAAD(associatedData);
    const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return { keyId: this.activeKeyId, data: Buffer.concat([iv, ciphertext, cipher.getAuthTag()]) };
  }

  open(sealed: Sealed, associatedData?: Uint8Array): Buffer {
    const key = this.subkey(sealed.keyId);
    if (sealed.data.length < IV_BYTES + TAG_BYTES) throw new DecryptionError({ keyId: sealed.keyId });
    try {
      const iv = sealed.data.subarray(0, IV_BYTES);
      const tag = sealed.data.subarray(sealed.data.length - TAG_BYTES);
      const decipher = createDecipheriv('aes-256-gcm', key, iv);
      if (associatedData) decipher.setAAD(associatedData);
      decipher.setAuthTag(tag);
      return Buffer.concat([decipher.update(sealed.data.subarray(IV_BYTES, sealed.data.length - TAG_BYTES)), decipher.final()]);
    } catch (error) {
      throw new DecryptionError({ keyId: sealed.keyId, cause: error });
    }
  }

  private subkey(keyId: string): Buffer {
    let subkey = this.subkeys.get(keyId);
    if (!subkey) {
      const master = this.masters.get(keyId);
      if (!master) throw new UnknownKeyError({ keyId });
      subkey = Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), `switchboard:${this.purpose}`, 32));
      this.subkeys.set(keyId, subkey);
    }
    return subkey;
  }
}

/** Key purposes, one place so no two features share a derived key by accident. */
export const KeyPurpose = {
  temporalPayload: 'temporal-payload',
  databaseField: 'database-field',
  /** Wraps the per-record data keys of the vault. */
  vaultKeyWrap: 'vault-key-wrap',
} as const;
