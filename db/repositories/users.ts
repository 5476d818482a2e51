import type { Collection, Db } from 'mongodb';
import { Collections } from '../collections.js';

export type BuiltInProfileName = 'agent' | 'manager' | 'admin';
/** A built-in profile, or `custom:<name>` naming one of the brand's profiles. */
export type ProfileRef = BuiltInProfileName | `custom:${string}`;

export interface UserDocument {
  _id: string;
  brandId: string;
  /** Lowercased. */
  email: string;
  name: string;
  profile: ProfileRef;
  status: 'active' | 'disabled';
  /** scrypt, parameters and salt inside (api/auth/passwords.ts). */
  passwordHash: string;
  passwordChangedAt: Date;
  /** Consecutive failed sign-ins since the last success or unlock. */
  failedLogins: number;
  lockedAt?: Date;
  /** Queue ids the user works. */
  skills: string[];
  maxConcurrent: number;
  availability: 'online' | 'away' | 'offline';
  createdAt: Date;
  updatedAt: Date;
}

export type UserChanges = Partial<Pick<UserDocument, 'name' | 'profile' | 'skills' | 'maxConcurrent' | 'status'>>;

/** Every read and write is scoped by brand as well as id. */
export class UserRepository {
  private readonly users: Collection<UserDocument>;

  constructor(db: Db) {
    this.users = db.collection<UserDocument>(Collections.users);
  }

  /** Rejects with MongoServerError 11000 when the brand already has that email. */
  async insert(user: UserDocument): Promise<void> {
    await this.users.insertOne(user);
  }

  get(brandId: string, id: string): Promise<UserDocument | null> {
    return this.users.findOne({ _id: id, brandId });
  }

  findByEmail(brandId: string, email: string): Promise<UserDocument | null> {
    return this.users.findOne({ brandId, email: email.toLowerCase() });
  }

  list(brandId: string, limit = 1000): Promise<UserDocument[]> {
    return this.users.find({ brandId }).sort({ email: 1 }).limit(limit).toArray();
  }

  update(brandId: string, id: string, changes: UserChanges) {
    return this.users.findOneAndUpdate({ _id: id, brandId }, { $set: { ...changes, updatedAt: new Date() } }, { returnDocument: 'after' });
  }

  /** Atomic, so concurrent failures each count; returns the new count. */
  async addFailedLogin(brandId: string, id: string): Promise<number> {
    const after = await this.users.findOneAndUpdate({ _id: id, brandId }, { $inc: { failedLogins: 1 } }, { returnDocument: 'after' });
    return after?.failedLogins ?? 0;
  }

  async resetFailedLogins(brandId: string, id: string): Promise<void> {
    await this.users.updateOne({ _id: id, brandId, failedLogins: { $ne: 0 } }, { $set: { failedLogins: 0 } });
  }

  /** True only for the call that locked it, so the lock is audited once. */
  async lock(brandId: string, id: string, at: Date): Promise<boolean> {
    const result = await this.users.updateOne({ _id: id, brandId, lockedAt: { $exists: false } }, { $set: { lockedAt: at, updatedAt: at } });
    return result.modifiedCount === 1;
  }

  unlock(brandId: string, id: string) {
    return this.users.findOneAndUpdate(
      { _id: id, brandId },
      { $set: { failedLogins: 0, updatedAt: new Date() }, $unset: { lockedAt: '' } },
      { returnDocument: 'after' },
    );
  }

  setPasswordHash(brandId: string, id: string, passwordHash: string, at: Date) {
    return this.users.findOneAndUpdate(
      { _id: id, brandId },
      { $set: { passwordHash, passwordChangedAt: at, updatedAt: at } },
      { returnDocument: 'after' },
    );
  }
}
