import { createCipheriv, createDecipheriv, createPublicKey, diffieHellman, generateKeyPairSync, hkdfSync, randomBytes, type KeyObject } from 'node:crypto';

/**
 * Off-the-record answers sealed for one requester: X25519 between two key pairs that exist only for
 * one reveal (the requester's, whose private half never leaves its memory, and the holder's, made per
 * answer), HKDF-SHA-256, AES-256-GCM bound to the form. Whatever records the sealed box (Temporal
 * history) holds bytes nobody can open once the requester dropped its private key.
 */
export interface SealedAnswers {
  holderPublicKey: string;
  salt: string;
  iv: string;
  ciphertext: string;
  tag: string;
}

const INFO = 'switchboard off-record answers v1';

export interface RequesterKeys {
  publicKey: string;
  privateKey: KeyObject;
}

export function requesterKeys(): RequesterKeys {
  const { publicKey, privateKey } = generateKeyPairSync('x25519');
  return { publicKey: publicKey.export({ format: 'der', type: 'spki' }).toString('base64'), privateKey };
}

function keyFor(privateKey: KeyObject, otherPublicKey: string, salt: Buffer, formId: string): Buffer {
  const shared = diffieHellman({ privateKey, publicKey: createPublicKey({ key: Buffer.from(otherPublicKey, 'base64'), format: 'der', type: 'spki' }) });
  return Buffer.from(hkdfSync('sha256', shared, salt, `${INFO}|${formId}`, 32));
}

export function sealAnswers(values: Record<string, string>, options: { formId: string; requesterPublicKey: string }): SealedAnswers {
  const holder = generateKeyPairSync('x25519');
  const salt = randomBytes(16);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyFor(holder.privateKey, options.requesterPublicKey, salt, options.formId), iv);
  cipher.setAAD(Buffer.from(options.formId));
  const ciphertext = Buffer.concat([cipher.update(JSON.stringify(values), 'utf8'), cipher.final()]);
  return {
    holderPublicKey: holder.publicKey.export({ format: 'der', type: 'spki' }).toString('base64'),
    salt: salt.toString('base64'),
    iv: iv.toString('base64'),
    ciphertext: ciphertext.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
  };
}

/** Opens a box sealed for `keys`; throws if it was sealed for someone else, another form, or altered. */
export function openAnswers(sealed: SealedAnswers, options: { formId: string; keys: RequesterKeys }): Record<string, string> {
  const key = keyFor(options.keys.privateKey, sealed.holderPublicKey, Buffer.from(sealed.salt, 'base64'), options.formId);
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.iv, 'base64'));
  decipher.setAAD(Buffer.from(options.formId));
  decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
  const plain = Buffer.concat([decipher.update(Buffer.from(sealed.ciphertext, 'base64')), decipher.final()]);
  return JSON.parse(plain.toString('utf8')) as Record<string, string>;
}
