import type { Collection, Db } from 'mongodb';
import { Collections } from '../collections.js';

export interface SessionDocument {
  /** SHA-256 (hex) of the session token; the token itself is never stored. */
  _id: string;
  userId: string;
  brandId: string;
  createdAt: Date;
  lastSeenAt: Date;
  /** Absolute end, whatever the activity. */
  expiresAt: Date;
}

export class SessionRepository {
  private readonly sessions: Collection<SessionDocument>;

  constructor(db: Db) {
    this.sessions = db.collection<SessionDocument>(Collections.sessions);
  }

  async insert(session: SessionDocument): Promise<void> {
    await this.sessions.insertOne(session);
  }

  get(hash: string): Promise<SessionDocument | null> {
    return this.sessions.findOne({ _id: hash });
  }

  async touch(hash: string, at: Date): Promise<void> {
    await this.sessions.updateOne({ _id: hash }, { $max: { lastSeenAt: at } });
  }

  async delete(hash: string): Promise<void> {
    await this.sessions.deleteOne({ _id: hash });
  }

  /** Signs the user out everywhere. */
  async deleteForUser(userId: string): Promise<number> {
    return (await this.sessions.deleteMany({ userId })).deletedCount;
  }

  /** Sessions nobody can use any more; there is no TTL index on FerretDB, so they are swept at sign-in. */
  async deleteStale(userId: string, now: Date, idleSince: Date): Promise<void> {
    await this.sessions.deleteMany({ userId, $or: [{ expiresAt: { $lte: now } }, { lastSeenAt: { $lt: idleSince } }] });
  }
}
