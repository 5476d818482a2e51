import { createHash } from 'node:crypto';
import type { Collection, Db } from 'mongodb';
import { Collections } from '../collections.js';
import { isDuplicateKey } from '../errors.js';

interface HitDocument {
  _id: string;
  expiresAt: Date;
  /** The window row only: when the key's current window began (its first counted request). */
  startedAt?: Date;
}

/**
 * Request counts shared by every API process. A key's window begins with its first counted request (row
 * `<hash>|window`) and lasts `windowMs`; each request in it claims the next numbered row `<hash>|<start>|<n>`
 * by a unique `_id` (FerretDB has no atomic counter), so concurrent requests on any replica get distinct
 * numbers. Past `cap` nothing more is written. Keys are hashed: no address or email is stored.
 */
export class RateLimitHits {
  private readonly hits: Collection<HitDocument>;
  private lastSweep = 0;

  constructor(db: Db) {
    this.hits = db.collection<HitDocument>(Collections.rateLimitHits);
  }

  /** Counts one request of `key`; answers how many its window has seen (at most cap + 1) and when the window ends. */
  async hit(key: string, windowMs: number, cap: number): Promise<{ count: number; resetTime: Date }> {
    const hash = createHash('sha256').update(key).digest('base64url');
    void this.sweep();
    const window = await this.currentWindow(hash, windowMs);
    for (let n = 1; n <= cap; n++) {
      try {
        await this.hits.insertOne({ _id: `${hash}|${window.startedAt.getTime()}|${n}`, expiresAt: window.expiresAt });
        return { count: n, resetTime: window.expiresAt };
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
      }
    }
    return { count: cap + 1, resetTime: window.expiresAt };
  }

  /** Forgets a key's window (express-rate-limit's resetKey): the next request starts a new one. */
  async reset(key: string): Promise<void> {
    await this.hits.deleteOne({ _id: `${createHash('sha256').update(key).digest('base64url')}|window` });
  }

  private async currentWindow(hash: string, windowMs: number): Promise<{ startedAt: Date; expiresAt: Date }> {
    const id = `${hash}|window`;
    for (;;) {
      const now = new Date();
      const found = await this.hits.findOne({ _id: id });
      if (found?.startedAt && found.expiresAt > now) return { startedAt: found.startedAt, expiresAt: found.expiresAt };
      if (found) await this.hits.deleteOne({ _id: id, expiresAt: found.expiresAt });
      try {
        const started = { _id: id, startedAt: now, expiresAt: new Date(now.getTime() + windowMs) };
        await this.hits.insertOne(started);
        return started;
      } catch (error) {
        // Another request (on any replica) began the window first: count in that one.
        if (!isDuplicateKey(error)) throw error;
      }
    }
  }

  /** Rows of ended windows, at most once a minute per process (no TTL index on FerretDB). */
  private async sweep(): Promise<void> {
    const now = Date.now();
    if (now - this.lastSweep < 60_000) return;
    this.lastSweep = now;
    await this.hits.deleteMany({ expiresAt: { $lte: new Date(now) } }).catch(() => undefined);
  }
}
