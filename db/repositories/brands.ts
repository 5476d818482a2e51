import type { Collection, Db } from 'mongodb';
import { Collections } from '../collections.js';
import { isDuplicateKey } from '../errors.js';

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
  apiTokens: ApiTokenRecord[];
  policy?: Partial<AccountPolicy>;
  createdAt: Date;
  updatedAt: Date;
}

export interface ApiTokenRecord {
  id: string;
  hash: string;
  createdAt: Date;
  /** Absent: never expires. */
  expiresAt?: Date;
}

interface RevocationDocument {
  _id: string;
  brandId: string;
  tokenId: string;
  revokedAt: Date;
}

const revocationId = (brandId: string, tokenId: string) => `${brandId}:${tokenId}`;

export class BrandRepository {
  private readonly brands: Collection<BrandDocument>;
  private readonly revocations: Collection<RevocationDocument>;

  constructor(db: Db) {
    this.brands = db.collection<BrandDocument>(Collections.brands);
    this.revocations = db.collection<RevocationDocument>(Collections.apiTokenRevocations);
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

  async addApiToken(id: string, token: ApiTokenRecord) {
    return this.brands.findOneAndUpdate({ _id: id }, { $push: { apiTokens: token }, $set: { updatedAt: new Date() } }, { returnDocument: 'after' });
  }

  findByApiTokenHash(hash: string): Promise<BrandDocument | null> {
    return this.brands.findOne({ 'apiTokens.hash': hash });
  }

  /**
   * The revocation row decides (a unique insert); the token is then also pulled from the brand so
   * listings drop it. Returns false when it was revoked already.
   */
  async revokeApiToken(brandId: string, tokenId: string): Promise<boolean> {
    let first = true;
    try {
      await this.revocations.insertOne({ _id: revocationId(brandId, tokenId), brandId, tokenId, revokedAt: new Date() });
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      first = false;
    }
    await this.brands.updateOne({ _id: brandId }, { $pull: { apiTokens: { id: tokenId } }, $set: { updatedAt: new Date() } });
    return first;
  }

  async isApiTokenRevoked(brandId: string, tokenId: string): Promise<boolean> {
    return (await this.revocations.findOne({ _id: revocationId(brandId, tokenId) })) !== null;
  }

  /** Of these token ids, the revoked ones (a pull lost to a concurrent update leaves one listed on the brand). */
  async revokedAmong(brandId: string, tokenIds: string[]): Promise<Set<string>> {
    if (tokenIds.length === 0) return new Set();
    const rows = await this.revocations.find({ _id: { $in: tokenIds.map((id) => revocationId(brandId, id)) } }).toArray();
    return new Set(rows.map((row) => row.tokenId));
  }
}
