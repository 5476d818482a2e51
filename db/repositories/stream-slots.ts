import { MongoServerError, type Collection, type Db } from 'mongodb';
import { Collections } from '../collections.js';
import { isDuplicateKey } from '../errors.js';

interface SlotDocument {
  /** A slot `<principal>#<n>`, or a takeover claim `<principal>#<n>~<expired holder's streamId>~<lease period>`. */
  _id: string;
  principal: string;
  /** Slots only: the stream holding it. */
  streamId?: string;
  /** The lease: renewed while the stream is open; past it the slot may be taken over. */
  expiresAt: Date;
}

/** A slot held by one stream. */
export interface StreamSlot {
  id: string;
  streamId: string;
}

export const defaultStreamLeaseMs = 90_000;
/** Slots and takeover claims this long past their lease are deleted (their principal never came back). */
const SWEEP_AFTER_MS = 60 * 60_000;
const SWEEP_EVERY_MS = 10 * 60_000;

/**
 * Numbered slots for open event streams, shared by every API replica: a stream claims `<principal>#<n>` by a unique
 * `_id` (FerretDB has no atomic counter), holds it under a lease its process renews, and deletes it when it ends.
 * A slot whose lease ran out (its replica crashed) is taken over. Taking over is a delete then an insert, and a
 * conditional delete is not atomic on FerretDB (a late delete can remove the new holder's slot: measured, two
 * winners in 30 races), so the takers first race for a takeover claim of that holder, again by unique `_id`.
 */
export class StreamSlots {
  private readonly slots: Collection<SlotDocument>;
  readonly leaseMs: number;
  private lastSweep = 0;

  constructor(db: Db, options: { leaseMs?: number } = {}) {
    this.slots = db.collection<SlotDocument>(Collections.streamSlots);
    this.leaseMs = options.leaseMs ?? defaultStreamLeaseMs;
  }

  /** Claims the first free (or expired) of the principal's `max` slots for `streamId`; undefined when all are held. */
  async claim(principal: string, streamId: string, max: number): Promise<StreamSlot | undefined> {
    void this.sweep();
    const ids = Array.from({ length: max }, (_, i) => `${principal}#${i + 1}`);
    const held = new Map((await this.slots.find({ _id: { $in: ids } }).toArray()).map((slot) => [slot._id, slot]));
    for (const id of ids) {
      const holder = held.get(id);
      if (holder && !(await this.clearExpired(holder))) continue;
      if (await this.insert({ _id: id, principal, streamId, expiresAt: this.leaseEnd() })) return { id, streamId };
    }
    return undefined;
  }

  /** Extends the lease; false when the slot is no longer this stream's (its lease ran out and it was taken over). */
  async renew(slot: StreamSlot): Promise<boolean> {
    const result = await this.slots.updateOne({ _id: slot.id, streamId: slot.streamId }, { $set: { expiresAt: this.leaseEnd() } });
    return result.matchedCount === 1;
  }

  /** Frees the slot, if this stream still holds it. */
  async release(slot: StreamSlot): Promise<void> {
    await this.slots.deleteOne({ _id: slot.id, streamId: slot.streamId });
  }

  private leaseEnd(): Date {
    return new Date(Date.now() + this.leaseMs);
  }

  /** Deletes an expired holder's slot if this caller won the right to; true when the slot may now be inserted. */
  private async clearExpired(holder: SlotDocument): Promise<boolean> {
    const now = Date.now();
    if (holder.expiresAt.getTime() > now) return false;
    // The lease period in the id: a taker that crashed mid-way blocks the slot for one lease at most.
    const takeover = `${holder._id}~${holder.streamId}~${Math.floor(now / this.leaseMs)}`;
    if (!(await this.insert({ _id: takeover, principal: holder.principal, expiresAt: this.leaseEnd() }))) return false;
    try {
      await this.slots.deleteOne({ _id: holder._id, streamId: holder.streamId, expiresAt: { $lte: new Date(now) } });
    } finally {
      await this.slots.deleteOne({ _id: takeover }).catch(() => undefined);
    }
    return true;
  }

  /** False when the `_id` is taken. FerretDB answers SQLITE_BUSY under write load: retried a few times. */
  private async insert(slot: SlotDocument): Promise<boolean> {
    for (let serverErrors = 0; ; ) {
      try {
        await this.slots.insertOne(slot);
        return true;
      } catch (error) {
        if (isDuplicateKey(error)) {
          // After a busy answer the first try may have landed after all.
          return serverErrors > 0 && slot.streamId !== undefined && (await this.slots.findOne({ _id: slot._id }))?.streamId === slot.streamId;
        }
        if (!(error instanceof MongoServerError) || ++serverErrors >= 5) throw error;
        await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 20));
      }
    }
  }

  /** Slots of principals that never came back, at most every 10 minutes per process (no TTL index on FerretDB). */
  private async sweep(): Promise<void> {
    const now = Date.now();
    if (now - this.lastSweep < SWEEP_EVERY_MS) return;
    this.lastSweep = now;
    await this.slots.deleteMany({ expiresAt: { $lt: new Date(now - SWEEP_AFTER_MS) } }).catch(() => undefined);
  }
}
