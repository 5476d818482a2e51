import { LRUCache } from 'lru-cache';
import { MongoServerError, type Collection, type Db } from 'mongodb';
import { Collections } from '../collections.js';
import type { EncryptedField, FieldEncryption } from '../field-encryption.js';
import { isDuplicateKey } from '../errors.js';

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

const journalEntryId = (key: string, seq: number) => `${key}#${seq}`;

/** The key's last entry as known here; `forwarded` when known to be. */
interface LastEntry {
  seq: number;
  id: string;
  forwarded?: boolean;
}

/** Per key, where its numbering stands: read once by a process that does not remember the key. */
interface JournalHead {
  _id: string;
  seq: number;
  at: Date;
}

/** Keys whose last entry this process remembers (a webhook's conversation writes again soon). */
const REMEMBERED_KEYS = 50_000;
const HEADS_PRUNED_AT_ONCE = 500;
/** How far past its head a key's entries are looked for before the head is pruned. */
const HEAD_LAG_CHECKED = 16;
/** Entries looked up by `_id` for a key's oldest pending one before a query instead. */
const PENDING_PROBES = 20;


/** The store-and-forward journal between webhooks and Temporal (see README, "Inbound journal"). */
export class InboundJournal<T = unknown> {
  private readonly entries: Collection<JournalDocument>;
  private readonly heads: Collection<JournalHead>;
  private readonly lastEntries = new LRUCache<string, LastEntry>({ max: REMEMBERED_KEYS });
  /** Per key, the highest number this process forwarded (every entry before it was forwarded before it). */
  private readonly forwardedThrough = new LRUCache<string, number>({ max: REMEMBERED_KEYS });

  constructor(db: Db, private readonly fields: FieldEncryption) {
    this.entries = db.collection<JournalDocument>(Collections.inboundJournal);
    this.heads = db.collection<JournalHead>(Collections.inboundJournalHeads);
  }

  /**
   * Appends a pending entry after the key's last one. The number is claimed by inserting `_id`
   * `<key>#<seq>` (FerretDB has no atomic counter, and answers only an exact `{_id}` filter without
   * scanning): after the key's last entry as this process remembers it, else as its head document
   * says. Both are hints that only lag: a refused number is looked up by `_id` and the next one tried.
   * A server error (FerretDB's SQLITE_BUSY under load) is retried a few times too.
   */
  async append(key: string, payload: T): Promise<AppendedEntry<T>> {
    let last = this.lastEntries.get(key) ?? (await this.head(key));
    for (let attempt = 0, serverErrors = 0; ; attempt++) {
      const seq = last.seq + 1;
      const id = journalEntryId(key, seq);
      const entry: JournalDocument = {
        _id: id, key, seq, status: 'pending', payload: this.fields.seal(JSON.stringify(payload), inboundJournalContext(id)), receivedAt: new Date(),
      };
      try {
        await this.entries.insertOne(entry);
        this.lastEntries.set(key, { seq, id });
        this.moveHead(key, seq);
        const previous = last.seq > 0 ? { previous: { id: last.id, forwarded: last.forwarded ?? false } } : {};
        return { id, key, seq, receivedAt: entry.receivedAt, payload, ...previous };
      } catch (error) {
        const retryable = isDuplicateKey(error) ? attempt < 100 : error instanceof MongoServerError && ++serverErrors < 5;
        if (!retryable) throw error;
        if (isDuplicateKey(error)) last = await this.holderOf(key, seq);
        else await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(50, 5 * (attempt + 1))));
      }
    }
  }

  /** Who holds the key's number `seq` (another replica's entry, or one the hints did not know). */
  private async holderOf(key: string, seq: number): Promise<LastEntry> {
    const holder = await this.entries.findOne({ _id: journalEntryId(key, seq) }, { projection: { seq: 1, status: 1 } });
    if (holder) return { seq, id: holder._id, forwarded: holder.status === 'forwarded' };
    // An entry written before ids were `<key>#<seq>` holds it (the unique (key, seq) index said so): the key's last, by a scan.
    const [latest] = await this.entries.find({ key }, { projection: { seq: 1, status: 1 } }).sort({ seq: -1 }).limit(1).toArray();
    return latest ? { seq: latest.seq, id: latest._id, forwarded: latest.status === 'forwarded' } : { seq, id: journalEntryId(key, seq) };
  }

  /** The key's last number as its head document says (0: no entry yet). */
  private async head(key: string): Promise<LastEntry> {
    const head = await this.heads.findOne({ _id: key });
    return head ? { seq: head.seq, id: journalEntryId(key, head.seq) } : { seq: 0, id: '' };
  }

  /**
   * Moves the key's head forward, without waiting: a lagging head (a write lost with the process) costs a
   * process that does not remember the key a few refused numbers. Written at every entry: a head far behind
   * could point below entries already pruned, and numbering would start again under a pending one.
   * (Two concurrent first upserts of a key: the second is refused by `_id` and is simply dropped.)
   */
  private moveHead(key: string, seq: number): void {
    this.heads.updateOne({ _id: key }, { $max: { seq }, $set: { at: new Date() } }, { upsert: true }).catch(() => {});
  }

  /**
   * The key's earliest pending entry: the only one that may be forwarded next. For a key this process appended
   * to and forwarded, the entries in between are looked up by `_id` (FerretDB scans for any other filter);
   * entries another replica appended after them are that replica's to forward (its own append kicked it). With
   * `scan` (a sweep: whatever anyone left), or when this process does not know the key, one query that scans.
   */
  async oldestPending(key: string, options: { scan?: boolean } = {}): Promise<JournalEntry<T> | undefined> {
    const probed = options.scan ? 'unknown' : await this.probePending(key);
    const document = probed === 'unknown' ? await this.entries.findOne({ key, status: 'pending' }, { sort: { seq: 1 } }) : probed;
    if (!document?.payload) return undefined;
    const payload = JSON.parse(this.fields.open(document.payload, inboundJournalContext(document._id))) as T;
    return { id: document._id, key, seq: document.seq, receivedAt: document.receivedAt, payload };
  }

  private async probePending(key: string): Promise<JournalDocument | undefined | 'unknown'> {
    const through = this.forwardedThrough.get(key);
    const last = this.lastEntries.get(key)?.seq;
    if (through === undefined || last === undefined || last - through > PENDING_PROBES) return 'unknown';
    for (let seq = through + 1; seq <= last; seq++) {
      const entry = await this.entries.findOne({ _id: journalEntryId(key, seq) });
      if (entry?.status === 'pending') return entry;
    }
    return undefined;
  }

  /** Every key with an entry pending since before `before` (all of them: a long backlog of one key hides no other). */
  pendingKeys(before: Date): Promise<string[]> {
    return this.entries.distinct('key', { status: 'pending', receivedAt: { $lt: before } });
  }

  /** Temporal has it: keep only the marker (ordering numbers stay monotonic), drop the payload. */
  async markForwarded(entryId: string): Promise<void> {
    await this.entries.updateOne({ _id: entryId }, { $set: { status: 'forwarded', forwardedAt: new Date() }, $unset: { payload: '' } });
    const numbered = /^(.*)#(\d+)$/.exec(entryId);
    if (numbered) this.forwardedThrough.set(numbered[1]!, Math.max(Number(numbered[2]), this.forwardedThrough.get(numbered[1]!) ?? 0));
  }

  /**
   * Deletes forwarded markers older than `before`, then the heads of keys quiet since then whose last entry is
   * gone too (a key's numbering starts again only once none of its entries is left); returns how many markers.
   */
  async pruneForwarded(before: Date): Promise<number> {
    const { deletedCount } = await this.entries.deleteMany({ status: 'forwarded', forwardedAt: { $lt: before } });
    for (const head of await this.heads.find({ at: { $lt: before } }).limit(HEADS_PRUNED_AT_ONCE).toArray()) {
      if (await this.anyEntryFrom(head._id, head.seq)) continue;
      await this.heads.deleteOne({ _id: head._id, at: head.at });
    }
    return deletedCount;
  }

  /** Whether an entry of the key is left at its head's number or just after it (a head whose last moves were lost). */
  private async anyEntryFrom(key: string, seq: number): Promise<boolean> {
    for (let n = seq; n <= seq + HEAD_LAG_CHECKED; n++) {
      if (await this.entries.findOne({ _id: journalEntryId(key, n) }, { projection: { _id: 1 } })) return true;
    }
    return false;
  }

  /** How many events wait for Temporal. */
  pendingCount(): Promise<number> {
    return this.entries.countDocuments({ status: 'pending' });
  }
}
