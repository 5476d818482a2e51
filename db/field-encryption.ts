import { Binary } from 'mongodb';
import { KeyPurpose, type Keyring, type PurposeKeyring } from '../crypto/keyring.js';

/** How an encrypted field is stored: key id + AES-256-GCM box. */
export interface EncryptedField {
  k: string;
  v: Binary;
}

/**
 * Field-level encryption for documents: message text, consumer addresses,
 * channel secrets. The associated data binds a value to its document and
 * field, so a ciphertext copied elsewhere does not open.
 */
export class FieldEncryption {
  private readonly keys: PurposeKeyring;

  constructor(keyring: Keyring) {
    this.keys = keyring.forPurpose(KeyPurpose.databaseField);
  }

  seal(value: string, context: string): EncryptedField {
    const sealed = this.keys.seal(Buffer.from(value, 'utf8'), Buffer.from(context, 'utf8'));
    return { k: sealed.keyId, v: new Binary(sealed.data) };
  }

  open(field: EncryptedField, context: string): string {
    return this.keys.open({ keyId: field.k, data: Buffer.from(field.v.buffer) }, Buffer.from(context, 'utf8')).toString('utf8');
  }
}
