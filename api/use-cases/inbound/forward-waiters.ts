const RECENT_LIMIT = 10_000;

/** Webhooks waiting (briefly) for their own journal entry to reach Temporal. */
export class ForwardWaiters {
  private readonly waiting = new Map<string, Set<(forwarded: boolean) => void>>();
  /** Entries forwarded lately, for a waiter that arrives after the fact (a batch journals several, then waits). */
  private readonly recent = new Set<string>();

  /** True once `entryId` is forwarded; false after `timeoutMs` or when released. */
  wait(entryId: string, timeoutMs: number): Promise<boolean> {
    if (this.recent.has(entryId)) return Promise.resolve(true);
    if (timeoutMs <= 0) return Promise.resolve(false);
    return new Promise((resolve) => {
      const waiting = this.waiting.get(entryId) ?? new Set();
      this.waiting.set(entryId, waiting);
      const settle = (forwarded: boolean) => {
        clearTimeout(timer);
        waiting.delete(settle);
        if (waiting.size === 0) this.waiting.delete(entryId);
        resolve(forwarded);
      };
      const timer = setTimeout(() => settle(false), timeoutMs);
      waiting.add(settle);
    });
  }

  /** Whether this process forwarded the entry lately. */
  wasForwarded(entryId: string): boolean {
    return this.recent.has(entryId);
  }

  forwarded(entryId: string): void {
    this.recent.add(entryId);
    if (this.recent.size > RECENT_LIMIT) this.recent.delete(this.recent.values().next().value!);
    for (const settle of [...(this.waiting.get(entryId) ?? [])]) settle(true);
  }

  /** Temporal went down or we are stopping: nobody waits any longer. */
  releaseAll(): void {
    for (const waiting of [...this.waiting.values()]) for (const settle of [...waiting]) settle(false);
  }
}
