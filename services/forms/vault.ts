import { createCipheriv, createDecipheriv, randomBytes, randomUUID } from 'node:crypto';
import { Binary, type Collection, type Db } from 'mongodb';
import { Collections } from '../../db/collections.js';
import { KeyPurpose, type Keyring, type PurposeKeyring } from '../../crypto/keyring.js';

export interface VaultRecord {
  /** The token the rest of Switchboard holds instead of the values. */
  _id: string;
  brandId: string;
  formId: string;
  createdAt: Date;
  /** The record's own AES-256 key, sealed with the keyring (key id inside). Removing it crypto-shreds the record. */
  wrappedKey?: { k: string; v: Binary };
  /** Field name → iv ‖ ciphertext ‖ tag under the record's key, bound to record and field. */
  fields: Record<string, Binary>;
}

function encrypt(key: Buffer, plaintext: string, aad: string): Buffer {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv).setAAD(Buffer.from(aad));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, body, cipher.getAuthTag()]);
}

function decrypt(key: Buffer, sealed: Buffer, aad: string): string {
  const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, 12)).setAAD(Buffer.from(aad));
  decipher.setAuthTag(sealed.subarray(sealed.length - 16));
  return Buffer.concat([decipher.update(sealed.subarray(12, sealed.length - 16)), decipher.final()]).toString('utf8');
}

export class VaultShreddedError extends Error {
  constructor() {
    super('This vault record was crypto-shredded: its values are gone');
    this.name = 'VaultShreddedError';
  }
}

/**
 * Tokenization: secure-form values go to a dedicated database, each record
 * encrypted with its own data key wrapped by the keyring's master key. The
 * rest of the system only ever holds the record's UUID.
 */
export class Vault {
  private readonly records: Collection<VaultRecord>;
  private readonly wrap: PurposeKeyring;

  constructor(options: { db: Db; keyring: Keyring }) {
    this.records = options.db.collection<VaultRecord>(Collections.vaultRecords);
    this.wrap = options.keyring.forPurpose(KeyPurpose.vaultKeyWrap);
  }

  async tokenize(input: { brandId: string; formId: string; values: Record<string, string> }): Promise<string> {
    const id = randomUUID();
    const dataKey = randomBytes(32);
    const wrapped = this.wrap.seal(dataKey, Buffer.from(id));
    const fields = Object.fromEntries(
      Object.entries(input.values).map(([name, value]) => [name, new Binary(encrypt(dataKey, value, `${id}:${name}`))]),
    );
    await this.records.insertOne({ _id: id, brandId: input.brandId, formId: input.formId, createdAt: new Date(), wrappedKey: { k: wrapped.keyId, v: new Binary(wrapped.data) }, fields });
    dataKey.fill(0);
    return id;
  }

  async detokenize(id: string, brandId: string): Promise<Record<string, string> | undefined> {
    const record = await this.records.findOne({ _id: id, brandId });
    if (!record) return undefined;
    if (!record.wrappedKey) throw new VaultShreddedError();
    const dataKey = this.wrap.open({ keyId: record.wrappedKey.k, data: Buffer.from(record.wrappedKey.v.buffer) }, Buffer.from(id));
    try {
      return Object.fromEntries(Object.entries(record.fields).map(([name, sealed]) => [name, decrypt(dataKey, Buffer.from(sealed.buffer), `${id}:${name}`)]));
    } finally {
      dataKey.fill(0);
    }
  }

  /** Crypto-shredding: without its data key the ciphertext stays but can never be read again. */
  async shred(id: string): Promise<void> {
    await this.records.updateOne({ _id: id }, { $unset: { wrappedKey: '' }, $set: { fields: {} } });
  }
}
