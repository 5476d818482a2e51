import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { BSON } from 'mongodb';
import { Vault, VaultShreddedError } from '../../../services/forms/vault.js';
import { Keyring } from '../../../crypto/keyring.js';
import { connectDatabase } from '../../../db/connection.js';
import { testSettings } from '../../support/settings.js';

const settings = testSettings();
const database = connectDatabase({ uri: settings.mongo.uri, dbName: `${settings.mongo.dbName}_vault` });
afterAll(() => database.close());
const oldKey = { id: 'k-old', key: randomBytes(32) };
const vault = new Vault({ db: database.db, keyring: new Keyring({ keys: [oldKey] }) });

describe('vault (tokenization)', () => {
  it('returns a UUID and gives the values back only through it', async () => {
    const id = await vault.tokenize({ brandId: 'acme', formId: randomUUID(), values: { cardNumber: '4111111111111111', nameOnCard: 'CANARY Holder' } });
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(await vault.detokenize(id, 'acme')).toEqual({ cardNumber: '4111111111111111', nameOnCard: 'CANARY Holder' });
  });

  it('stores only ciphertext (raw BSON holds no value)', async () => {
    const id = await vault.tokenize({ brandId: 'acme', formId: randomUUID(), values: { secret: 'CANARY-vault-value' } });
    const raw = Buffer.from(BSON.serialize((await database.db.collection('vault_records').findOne({ _id: id as never }))!)).toString('latin1');
    expect(raw).not.toContain('CANARY');
  });

  it('does not give a record to another brand', async () => {
    const id = await vault.tokenize({ brandId: 'acme', formId: randomUUID(), values: { a: 'b' } });
    expect(await vault.detokenize(id, 'globex')).toBeUndefined();
  });

  it('still opens records after the master key rotates', async () => {
    const id = await vault.tokenize({ brandId: 'acme', formId: randomUUID(), values: { a: 'before rotation' } });
    const rotated = new Vault({ db: database.db, keyring: new Keyring({ keys: [{ id: 'k-new', key: randomBytes(32) }, oldKey] }) });
    expect(await rotated.detokenize(id, 'acme')).toEqual({ a: 'before rotation' });
  });

  it('crypto-shreds a record: its values can never be read again', async () => {
    const id = await vault.tokenize({ brandId: 'acme', formId: randomUUID(), values: { a: 'gone soon' } });
    await vault.shred(id);
    await expect(vault.detokenize(id, 'acme')).rejects.toBeInstanceOf(VaultShreddedError);
  });
});
