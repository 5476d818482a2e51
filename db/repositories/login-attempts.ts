import { MongoServerError, type Collection, type Db } from 'mongodb';
import { Collections } from '../collections.js';
import { isDuplicateKey } from '../errors.js';

export interface LoginAttemptDocument {
  /** `<userId>:<epoch>:<n>`: unique, so two checks can never hold the same slot. */
  _id: string;
  userId: string;
  epoch: string;
  n: number;
  at: Date;
}


/**
 * Numbered slots for password checks. An epoch (a user's `loginEpoch`) starts at
 * creation, a correct password or an unlock and holds at most `max` slots: a
 * check that finds none free must not verify the password. The unique `_id` is
 * the only arbiter that holds under concurrency on FerretDB.
 */
export class LoginAttempts {
  private readonly attempts: Collection<LoginAttemptDocument>;

  constructor(db: Db) {
    this.attempts = db.collection<LoginAttemptDocument>(Collections.loginAttempts);
  }

  /** The slot number claimed (1…max), or undefined when the epoch has no slot left. */
  async claim(userId: string, epoch: string, max: number): Promise<number | undefined> {
    let n = (await this.attempts.countDocuments({ userId, epoch })) + 1;
    for (let serverErrors = 0; n <= max; ) {
      try {
        await this.attempts.insertOne({ _id: `${userId}:${epoch}:${n}`, userId, epoch, n, at: new Date() });
        return n;
      } catch (error) {
        if (isDuplicateKey(error)) n++;
        // FerretDB answers SQLITE_BUSY under write load; an insert that did land only makes the next try stricter.
        else if (!(error instanceof MongoServerError) || ++serverErrors >= 5) throw error;
        else await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 20));
      }
    }
    return undefined;
  }

  /** The database work of a claim without claiming anything: unknown emails must take as long as known ones. */
  async imitateClaim(): Promise<void> {
    await this.attempts.countDocuments({ userId: '', epoch: '' });
    try {
      await this.attempts.updateOne({ _id: 'timing' }, { $set: { at: new Date() } }, { upsert: true });
    } catch (error) {
      if (!(error instanceof MongoServerError)) throw error; // a concurrent upsert or a busy server: the time is spent either way
    }
  }

  /** After an unlock: only the new epoch's slots count. */
  async clearOtherEpochs(userId: string, keep: string): Promise<void> {
    await this.attempts.deleteMany({ userId, epoch: { $ne: keep } });
  }

  /** Drops an epoch's slots once it ended. */
  async clear(userId: string, epoch: string): Promise<void> {
    await this.attempts.deleteMany({ userId, epoch });
  }
}
