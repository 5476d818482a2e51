import type { Collection, Db } from 'mongodb';
import { Collections } from '../collections.js';

export type BrandStatus = 'active' | 'disabled';

/** Sign-in rules of a brand's users; absent fields take the defaults in api/auth/policy.ts. */
export interface AccountPolicy {
  minPasswordLength: number;
  maxFailedLogins: number;
  idleTimeoutMinutes: number;
}

export interface BrandDocument {
  _id: string;
  name: string;
  status: BrandStatus;
  /** Sent when a consumer texts HELP/INFO. */
  helpText: string;
  inactivityTimeoutMinutes?: number;
  /** Agent API credentials, stored as SHA-256 hashes only. */
  apiTokens: { id: string; hash: string; createdAt: Date }[];
  policy?: Partial<AccountPolicy>;
  createdAt: Date;
  updatedAt: Date;
}

export class BrandRepository {
  private readonly brands: Collection<BrandDocument>;

  constructor(db: Db) {
    this.brands = db.collection<BrandDocument>(Collections.brands);
  }

  /** Inserts; rejects with MongoServerError 11000 when the id is taken. */
  async insert(brand: BrandDocument): Promise<void> {
    await this.brands.insertOne(brand);
  }

  get(id: string): Promise<BrandDocument | null> {
    return this.brands.findOne({ _id: id });
  }

  list(): Promise<BrandDocument[]> {
    return this.brands.find({}).sort({ _id: 1 }).limit(1000).toArray();
  }

  async update(id: string, changes: Partial<Pick<BrandDocument, 'name' | 'status' | 'helpText' | 'inactivityTimeoutMinutes'>>) {
    return this.brands.findOneAndUpdate({ _id: id }, { $set: { ...changes, updatedAt: new Date() } }, { returnDocument: 'after' });
  }

  /** Sets only the given fields, so two admins changing different settings do not undo each other. */
  async updatePolicy(id: string, changes: Partial<AccountPolicy>) {
    const fields = Object.fromEntries(Object.entries(changes).map(([key, value]) => [`policy.${key}`, value]));
    return this.brands.findOneAndUpdate({ _id: id }, { $set: { ...fields, updatedAt: new Date() } }, { returnDocument: 'after' });
  }

  async addApiToken(id: string, token: { id: string; hash: string; createdAt: Date }) {
    return this.brands.findOneAndUpdate({ _id: id }, { $push: { apiTokens: token }, $set: { updatedAt: new Date() } }, { returnDocument: 'after' });
  }

  findByApiTokenHash(hash: string): Promise<BrandDocument | null> {
    return this.brands.findOne({ 'apiTokens.hash': hash });
  }
}
