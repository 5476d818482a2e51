import { LRUCache } from 'lru-cache';
import { MongoNetworkError, MongoServerSelectionError } from 'mongodb';

export interface LookupCacheLimits {
  /** Keys whose value (or pending lookup) is kept. */
  maxFound: number;
  /** Keys remembered as "not found": unauthenticated callers choose these, so they get their own, smaller space. */
  maxMissing: number;
  ttlMs: number;
  missingTtlMs: number;
  /** How long the last value the database gave is served while the database is unreachable. */
  staleLimitMs: number;
}

const isUnreachable = (error: unknown) => error instanceof MongoNetworkError || error instanceof MongoServerSelectionError;

/**
 * Per-key lookups answered from memory for a short while, every part a bounded LRU: webhook callers are
 * unauthenticated until a signature is checked, and they choose the keys. Only values the database actually
 * returned are kept as last-known (served while it is unreachable), so unknown keys can never evict them.
 */
export class LookupCache<V extends object> {
  private readonly found: LRUCache<string, Promise<V | undefined>>;
  private readonly missing: LRUCache<string, true>;
  private readonly lastKnown: LRUCache<string, V>;

  constructor(readonly limits: LookupCacheLimits) {
    this.found = new LRUCache({ max: limits.maxFound, ttl: limits.ttlMs });
    this.missing = new LRUCache({ max: limits.maxMissing, ttl: limits.missingTtlMs });
    this.lastKnown = new LRUCache({ max: limits.maxFound, ttl: limits.staleLimitMs });
  }

  get(key: string, load: () => Promise<V | undefined>): Promise<V | undefined> {
    if (this.missing.has(key)) return Promise.resolve(undefined);
    return this.found.get(key) ?? this.track(key, load());
  }

  /** Looks up several keys; the ones not in memory with a single call of `loadMany`. Returns the keys that exist. */
  async getMany(keys: string[], loadMany: (keys: string[]) => Promise<Map<string, V>>): Promise<Map<string, V>> {
    const lookups = new Map<string, Promise<V | undefined>>();
    for (const key of new Set(keys)) {
      const hit = this.missing.has(key) ? undefined : this.found.get(key);
      if (hit) lookups.set(key, hit);
    }
    const toLoad = [...new Set(keys)].filter((key) => !lookups.has(key) && !this.missing.has(key));
    if (toLoad.length > 0) {
      const batch = loadMany(toLoad);
      batch.catch(() => {}); // each key's own lookup below reports the failure
      for (const key of toLoad) lookups.set(key, this.track(key, batch.then((loaded) => loaded.get(key))));
    }
    const results = new Map<string, V>();
    await Promise.all(
      [...lookups].map(async ([key, lookup]) => {
        const value = await lookup;
        if (value) results.set(key, value);
      }),
    );
    return results;
  }

  clear(): void {
    this.found.clear();
    this.missing.clear();
    this.lastKnown.clear();
  }

  /** How many keys each part holds (each at most its limit). */
  get sizes() {
    return { found: this.found.size, missing: this.missing.size, lastKnown: this.lastKnown.size };
  }

  private track(key: string, loading: Promise<V | undefined>): Promise<V | undefined> {
    const value = loading.then(
      (loaded) => {
        if (loaded) {
          this.lastKnown.set(key, loaded);
        } else {
          this.forget(key, value);
          this.missing.set(key, true);
          this.lastKnown.delete(key);
        }
        return loaded;
      },
      (error: unknown) => {
        this.forget(key, value);
        const known = this.lastKnown.get(key);
        if (isUnreachable(error) && known) return known;
        throw error;
      },
    );
    this.found.set(key, value);
    return value;
  }

  /** Drops a pending or settled lookup, unless a newer one (after clear()) took its place. */
  private forget(key: string, value: Promise<V | undefined>): void {
    if (this.found.peek(key) === value) this.found.delete(key);
  }
}
