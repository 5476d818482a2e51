import { MongoClient, type Db } from 'mongodb';

export interface Database {
  client: MongoClient;
  db: Db;
  /** Resolves when the server answers a ping within `timeoutMs`; rejects otherwise. */
  ping(timeoutMs: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * The one place that opens a MongoDB connection. Connecting does not wait for
 * the server: the driver reconnects by itself, and readiness is checked with
 * ping(), so a database restart never needs a process restart.
 */
export function connectDatabase(options: { uri: string; dbName: string }): Database {
  const client = new MongoClient(options.uri, {
    appName: 'switchboard',
    serverSelectionTimeoutMS: 5_000,
    connectTimeoutMS: 5_000,
  });
  const db = client.db(options.dbName);
  return {
    client,
    db,
    async ping(timeoutMs) {
      await withTimeout(db.command({ ping: 1 }), timeoutMs, 'database did not answer ping');
    },
    close: () => client.close(),
  };
}

export function withTimeout<T>(promise: Promise<T>, timeoutMs: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${message} within ${timeoutMs} ms`)), timeoutMs);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
