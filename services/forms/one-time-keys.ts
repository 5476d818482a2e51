import { randomBytes } from 'node:crypto';
import { sha256 } from '../../crypto/secrets.js';
import { type Collection, type Db } from 'mongodb';
import { Collections } from '../../db/collections.js';
import { isDuplicateKey } from '../../db/errors.js';

export type KeyAction = 'open' | 'submit' | 'reveal';

export interface OneTimeKeyDocument {
  /** SHA-256 of the key: the key itself is never stored. */
  _id: string;
  action: KeyAction;
  brandId: string;
  formId: string;
  /** Reveal keys: the agent they were issued to. */
  agentId?: string;
  expiresAt: Date;
  usedAt?: Date;
}

const hash = sha256;

/**
 * One-time keys: 256 random bits, URL-safe, single use, short-lived, bound to
 * one action on one form of one brand. Of any number of concurrent
 * redemptions exactly one succeeds (see consume).
 */
export class OneTimeKeys {
  private readonly keys: Collection<OneTimeKeyDocument>;
  private readonly uses: Collection<{ _id: string; usedAt: Date }>;

  constructor(db: Db) {
    this.keys = db.collection<OneTimeKeyDocument>(Collections.oneTimeKeys);
    this.uses = db.collection<{ _id: string; usedAt: Date }>(Collections.oneTimeKeyUses);
  }

  async issue(input: { action: KeyAction; brandId: string; formId: string; agentId?: string; ttlMs: number }): Promise<{ key: string; expiresAt: Date }> {
    const key = randomBytes(32).toString('base64url');
    const expiresAt = new Date(Date.now() + input.ttlMs);
    await this.keys.insertOne({
      _id: hash(key), action: input.action, brandId: input.brandId, formId: input.formId, ...(input.agentId ? { agentId: input.agentId } : {}), expiresAt,
    });
    return { key, expiresAt };
  }

  /**
   * The key's record if it is unused, unexpired and issued for exactly this
   * action (and, when given, this form, brand and agent); otherwise undefined,
   * without saying which check failed. Spends nothing.
   */
  async peek(key: string, expected: { action: KeyAction; formId?: string; brandId?: string; agentId?: string }): Promise<OneTimeKeyDocument | undefined> {
    if (!/^[A-Za-z0-9_-]{43}$/.test(key)) return undefined;
    const found = await this.keys.findOne({
      _id: hash(key),
      action: expected.action,
      ...(expected.formId ? { formId: expected.formId } : {}),
      ...(expected.brandId ? { brandId: expected.brandId } : {}),
      ...(expected.agentId ? { agentId: expected.agentId } : {}),
    });
    if (!found || found.usedAt || found.expiresAt <= new Date()) return undefined;
    return found;
  }

  /** Uses the key up if peek finds it usable; of any number of concurrent redemptions exactly one succeeds. */
  async consume(key: string, expected: { action: KeyAction; formId?: string; brandId?: string; agentId?: string }): Promise<OneTimeKeyDocument | undefined> {
    const found = await this.peek(key, expected);
    if (!found) return undefined;
    const now = new Date();
    const id = found._id;
    // Single use rests on a unique insert, not on a conditional update: FerretDB lets several
    // concurrent findOneAndUpdate calls match the same "unused" document; a duplicate _id never passes.
    try {
      await this.uses.insertOne({ _id: id, usedAt: now });
    } catch (error) {
      if (isDuplicateKey(error)) return undefined;
      throw error;
    }
    await this.keys.updateOne({ _id: id }, { $set: { usedAt: now } });
    return { ...found, usedAt: now };
  }

  /** Retention: keys past expiry are worthless; delete them in batches. */
  async deleteExpired(before: Date, limit = 1000): Promise<number> {
    const stale = await this.keys.find({ expiresAt: { $lt: before } }, { projection: { _id: 1 } }).limit(limit).toArray();
    if (stale.length === 0) return 0;
    const ids = stale.map((doc) => doc._id);
    const { deletedCount } = await this.keys.deleteMany({ _id: { $in: ids } });
    await this.uses.deleteMany({ _id: { $in: ids } });
    return deletedCount;
  }
}
