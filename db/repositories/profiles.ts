import type { Collection, Db } from 'mongodb';
import { Collections } from '../collections.js';
import type { BuiltInProfileName } from './users.js';

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

export class ProfileRepository {
  private readonly profiles: Collection<ProfileDocument>;

  constructor(db: Db) {
    this.profiles = db.collection<ProfileDocument>(Collections.profiles);
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
}
