import { randomUUID } from 'node:crypto';
import { MongoServerError, type Collection, type Db } from 'mongodb';
import { Collections } from '../collections.js';
import type { EncryptedField, FieldEncryption } from '../field-encryption.js';

/**
 * One provider event accepted by a webhook and not yet (or just) handed to Temporal. The
 * payload holds consumer text and addresses: sealed, bound to the entry id, and removed
 * once the entry is forwarded.
 */
export interface JournalDocument {
  _id: string;
  /** The workflow the event goes to; entries of one key are forwarded in `seq` order. */
  key: string;
  /** Arrival order within the key, claimed through the unique (key, seq) index. */
  seq: number;
  status: 'pending' | 'forwarded';
  payload?: EncryptedField;
  receivedAt: Date;
  forwardedAt?: Date;
}

export interface JournalEntry<T> {
  id: string;
  key: string;
  seq: number;
  receivedAt: Date;
  payload: T;
}

/** An entry just appended, with what it follows: the key's previous entry, if any. */
export interface AppendedEntry<T> extends JournalEntry<T> {
  previous?: { id: string; forwarded: boolean };
}

export const inboundJournalContext = (entryId: string) => `inbound-journal:${entryId}`;

const isDuplicateKey = (error: unknown) => error instanceof MongoServerError && error.code === 11000;

/** The store-and-forward journal between webhooks and Temporal (see README, "Inbound journal"). */
export class InboundJournal<T = unknown> {
  private readonly entries: Collection<JournalDocument>;

  constructor(db: Db, private readonly fields: FieldEncryption) {
    this.entries = db.collection<JournalDocument>(Collections.inboundJournal);
  }

  /**
   * Appends a pending entry after the key's last one. The number is claimed by a unique insert
   * (FerretDB has no atomic counter): concurrent writers of one key retry with the next number.
   * A server error (FerretDB's SQLITE_BUSY under load) is retried a few times too.
   */
  async append(key: string, payload: T): Promise<AppendedEntry<T>> {
    const id = randomUUID();
    const sealed = this.fields.seal(JSON.stringify(payload), inboundJournalContext(id));
    for (let attempt = 0, serverErrors = 0; ; attempt++) {
      const [last] = await this.entries.find({ key }, { projection: { seq: 1, status: 1 } }).sort({ seq: -1 }).limit(1).toArray();
      const entry: JournalDocument = { _id: id, key, seq: (last?.seq ?? 0) + 1, status: 'pending', payload: sealed, receivedAt: new Date() };
      try {
        await this.entries.insertOne(entry);
        const previous = last ? { previous: { id: last._id, forwarded: last.status === 'forwarded' } } : {};
        return { id, key, seq: entry.seq, receivedAt: entry.receivedAt, payload, ...previous };
      } catch (error) {
        const retryable = isDuplicateKey(error) ? attempt < 100 : error instanceof MongoServerError && ++serverErrors < 5;
        if (!retryable) throw error;
        await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(50, 5 * (attempt + 1))));
      }
    }
  }

  /** The key's earliest pending entry: the only one that may be forwarded next. */
  async oldestPending(key: string): Promise<JournalEntry<T> | undefined> {
    const document = await this.entries.findOne({ key, status: 'pending' }, { sort: { seq: 1 } });
    if (!document?.payload) return undefined;
    const payload = JSON.parse(this.fields.open(document.payload, inboundJournalContext(document._id))) as T;
    return { id: document._id, key, seq: document.seq, receivedAt: document.receivedAt, payload };
  }

  /** Every key with an entry pending since before `before` (all of them: a long backlog of one key hides no other). */
  pendingKeys(before: Date): Promise<string[]> {
    return this.entries.distinct('key', { status: 'pending', receivedAt: { $lt: before } });
  }

  /** Temporal has it: keep only the marker (ordering numbers stay monotonic), drop the payload. */
  async markForwarded(entryId: string): Promise<void> {
    await this.entries.updateOne({ _id: entryId }, { $set: { status: 'forwarded', forwardedAt: new Date() }, $unset: { payload: '' } });
  }

  /** Deletes forwarded markers older than `before`; returns how many. */
  async pruneForwarded(before: Date): Promise<number> {
    return (await this.entries.deleteMany({ status: 'forwarded', forwardedAt: { $lt: before } })).deletedCount;
  }

  /** How many events wait for Temporal. */
  pendingCount(): Promise<number> {
    return this.entries.countDocuments({ status: 'pending' });
  }
}
