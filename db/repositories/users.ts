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
  /** Set by an administrator (creation, reset): the user must choose their own before anything else (PCI DSS 8.3.5). */
  mustChangePassword?: boolean;
  /** Hashes of the user's own last passwords, newest first, the current one included when self-chosen (8.3.7). */
  passwordHistory?: string[];
  /** Names the current run of password checks (LoginAttempts); a new one starts at a correct password or an unlock. */
  loginEpoch?: string;
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

  /** The brand's active users as others may see them: no email, nothing about their account's security. */
  listActiveProfiles(brandId: string, limit = 5000): Promise<Pick<UserDocument, '_id' | 'name' | 'profile' | 'skills' | 'availability' | 'maxConcurrent'>[]> {
    return this.users
      .find({ brandId, status: 'active' }, { projection: { name: 1, profile: 1, skills: 1, availability: 1, maxConcurrent: 1 } })
      .limit(limit)
      .toArray();
  }

  update(brandId: string, id: string, changes: UserChanges) {
    return this.users.findOneAndUpdate({ _id: id, brandId }, { $set: { ...changes, updatedAt: new Date() } }, { returnDocument: 'after' });
  }

  /** After a correct password: later checks count from zero. */
  async startLoginEpoch(brandId: string, id: string, epoch: string): Promise<void> {
    await this.users.updateOne({ _id: id, brandId }, { $set: { loginEpoch: epoch } });
  }

  /** True only for the call that locked it, so the lock is audited once (LoginAttempts lets one check per epoch lock). */
  async lock(brandId: string, id: string, at: Date): Promise<boolean> {
    const result = await this.users.updateOne({ _id: id, brandId, lockedAt: { $exists: false } }, { $set: { lockedAt: at, updatedAt: at } });
    return result.modifiedCount === 1;
  }

  unlock(brandId: string, id: string, epoch: string) {
    return this.users.findOneAndUpdate(
      { _id: id, brandId },
      { $set: { loginEpoch: epoch, updatedAt: new Date() }, $unset: { lockedAt: '' } },
      { returnDocument: 'after' },
    );
  }

  /** `mustChangePassword` for a password an administrator set; `passwordHistory` when the user chose it. */
  setPasswordHash(brandId: string, id: string, change: Pick<UserDocument, 'passwordHash' | 'mustChangePassword'> & { passwordHistory?: string[] }, at: Date) {
    return this.users.findOneAndUpdate(
      { _id: id, brandId },
      { $set: { ...change, passwordChangedAt: at, updatedAt: at } },
      { returnDocument: 'after' },
    );
  }
}
