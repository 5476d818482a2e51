import { Client, Connection } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import type { Logger } from 'pino';
import { Keyring } from '../crypto/keyring.js';
import { connectDatabase, type Database } from '../db/connection.js';
import { ensureIndexes } from '../db/indexes.js';
import { vaultIndexSpecs } from '../db/collections.js';
import { Vault } from '../services/forms/vault.js';
import { OffRecordAnswers } from '../services/forms/off-record/answers.js';
import { FieldEncryption } from '../db/field-encryption.js';
import { ChannelDirectory } from '../db/repositories/channel-directory.js';
import { createLogger } from '../observability/logger.js';
import { createDataConverter } from '../temporal/data-converter.js';
import type { Settings } from './settings.js';

/** What the API and the worker share: built once per process from Settings. */
export interface Services {
  settings: Settings;
  logger: Logger;
  keyring: Keyring;
  dataConverter: DataConverter;
  database: Database;
  /** Field-level encryption for documents (message text, addresses, channel secrets). */
  fields: FieldEncryption;
  /** Who an event or a send belongs to, with channel secrets decrypted (cached briefly). */
  directory: ChannelDirectory;
  temporal: { connection: Connection; client: Client };
  /** Secure-form values, tokenized in their own database. */
  vault: Vault;
  vaultDatabase: Database;
  /** Off-the-record answers: held in the memory of the process that received them, readable by any replica. */
  offRecord: OffRecordAnswers;
  close(): Promise<void>;
}

export async function createServices(settings: Settings, options: { logger?: Logger } = {}): Promise<Services> {
  const logger = options.logger ?? createLogger({ level: settings.logLevel });
  const keyring = new Keyring({ keys: settings.security.encryptionKeys, activeKeyId: settings.security.activeKeyId });
  const dataConverter = createDataConverter(keyring);
  const fields = new FieldEncryption(keyring);

  const database = connectDatabase({ uri: settings.mongo.uri, dbName: settings.mongo.dbName });
  await retry(() => ensureIndexes(database.db), { what: 'database', logger });
  const directory = new ChannelDirectory({ db: database.db, fields });
  const vaultDatabase = connectDatabase({ uri: settings.mongo.vaultUri ?? settings.mongo.uri, dbName: settings.mongo.vaultDbName });
  await retry(() => ensureIndexes(vaultDatabase.db, vaultIndexSpecs), { what: 'vault database', logger });
  const vault = new Vault({ db: vaultDatabase.db, keyring });

  // Lazy: the API keeps serving (and /readyz says 503) while Temporal is down.
  const connection = Connection.lazy({ address: settings.temporal.address, ...(settings.temporal.tls ? { tls: settings.temporal.tls } : {}) });
  const client = new Client({ connection, namespace: settings.temporal.namespace, dataConverter });
  const offRecord = new OffRecordAnswers({
    client, address: settings.temporal.address, tls: settings.temporal.tls, namespace: settings.temporal.namespace,
    taskQueue: settings.temporal.taskQueue, dataConverter, logger,
  });

  return {
    settings,
    logger,
    keyring,
    dataConverter,
    database,
    fields,
    directory,
    temporal: { connection, client },
    vault,
    vaultDatabase,
    offRecord,
    async close() {
      await offRecord.stop();
      await connection.close().catch(() => {});
      await database.close();
      await vaultDatabase.close();
    },
  };
}

/** Start-up retries for servers that may come up after us (compose starts everything at once). */
export async function retry<T>(fn: () => Promise<T>, options: { what: string; logger: Logger; attempts?: number }): Promise<T> {
  const attempts = options.attempts ?? 30;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (error) {
      if (attempt >= attempts) throw error;
      options.logger.warn({ err: error, attempt }, `${options.what} not reachable yet; retrying`);
      await new Promise((resolve) => setTimeout(resolve, Math.min(500 * attempt, 5_000)));
    }
  }
}
