import type { Collection, Db } from 'mongodb';
import { Collections } from '../collections.js';
import type { BuiltInProfileName } from './users.js';
import { isDuplicateKey } from '../errors.js';

/** A brand's custom profile: a role plus the permissions it grants. Built-in profiles live in code. */
export interface ProfileDocument {
  _id: string;
  brandId: string;
  /** Unique per brand; users refer to it as `custom:<name>`. */
  name: string;
  role: BuiltInProfileName;
  /** Permission names from api/auth/principal.ts, checked when written. */
  permissions: string[];
  createdAt: Date;
  updatedAt: Date;
}

/** A permission the platform admin granted one user; its _id names brand, user and permission, so granting twice is one row. */
export interface PlatformGrantDocument {
  _id: string;
  brandId: string;
  userId: string;
  permission: string;
  grantedAt: Date;
}

const grantId = (brandId: string, userId: string, permission: string) => `${brandId}:${userId}:${permission}`;

/** Custom profiles, and the per-user grants only the platform admin makes: together, what a user is granted. */
export class ProfileRepository {
  private readonly profiles: Collection<ProfileDocument>;
  private readonly grants: Collection<PlatformGrantDocument>;

  constructor(db: Db) {
    this.profiles = db.collection<ProfileDocument>(Collections.profiles);
    this.grants = db.collection<PlatformGrantDocument>(Collections.platformGrants);
  }

  /** Rejects with MongoServerError 11000 when the brand already has that name. */
  async insert(profile: ProfileDocument): Promise<void> {
    await this.profiles.insertOne(profile);
  }

  get(brandId: string, id: string): Promise<ProfileDocument | null> {
    return this.profiles.findOne({ _id: id, brandId });
  }

  findByName(brandId: string, name: string): Promise<ProfileDocument | null> {
    return this.profiles.findOne({ brandId, name });
  }

  list(brandId: string): Promise<ProfileDocument[]> {
    return this.profiles.find({ brandId }).sort({ name: 1 }).limit(1000).toArray();
  }

  update(brandId: string, id: string, changes: Partial<Pick<ProfileDocument, 'role' | 'permissions'>>) {
    return this.profiles.findOneAndUpdate({ _id: id, brandId }, { $set: { ...changes, updatedAt: new Date() } }, { returnDocument: 'after' });
  }

  /** Of the given permissions, those the platform admin granted this user (rows of their own, not a field of the user: a concurrent user update cannot undo a revoke). */
  async platformGrantsOf(brandId: string, userId: string, permissions: readonly string[]): Promise<string[]> {
    if (permissions.length === 0) return [];
    const rows = await this.grants.find({ _id: { $in: permissions.map((name) => grantId(brandId, userId, name)) } }).toArray();
    return rows.map((row) => row.permission);
  }

  /** True when this call granted it, false when it already was. */
  async grant(brandId: string, userId: string, permission: string): Promise<boolean> {
    try {
      await this.grants.insertOne({ _id: grantId(brandId, userId, permission), brandId, userId, permission, grantedAt: new Date() });
      return true;
    } catch (error) {
      if (isDuplicateKey(error)) return false;
      throw error;
    }
  }

  /** True when this call revoked it, false when it was not granted. */
  async revoke(brandId: string, userId: string, permission: string): Promise<boolean> {
    return (await this.grants.deleteOne({ _id: grantId(brandId, userId, permission) })).deletedCount === 1;
  }
}
