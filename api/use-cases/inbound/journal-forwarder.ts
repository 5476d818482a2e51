import { MongoError } from 'mongodb';
import type { Logger } from 'pino';
import type { AppendedEntry, InboundJournal, JournalEntry } from '../../../db/repositories/inbound-journal.js';
import { ForwardWaiters } from './forward-waiters.js';
import { describeError, isTemporalUnreachable, type Handover } from './handover.js';
import { OutageLog } from './outage-log.js';

export interface JournalForwarderOptions {
  journal: InboundJournal<Handover>;
  /** Hands one event to Temporal within a deadline; throws when it could not. */
  forward: (handover: Handover) => Promise<void>;
  logger: Logger;
  /** Conversations (journal keys) forwarded at once. */
  concurrency: number;
  /** How often the journal is swept for entries nobody here was told about (other replicas', a crashed process'). */
  sweepIntervalMs?: number;
  /** Sweeps leave entries younger than this to the replica that wrote them (the start-up sweep takes all). */
  sweepGraceMs?: number;
  /** How long forwarded markers are kept before they are pruned. */
  retentionMs?: number;
}

const BACKOFF_MIN_MS = 1_000;
const BACKOFF_MAX_MS = 10_000;
const PRUNE_EVERY_MS = 60_000;
/** Entries held in memory for forwarding without a read (beyond this, lanes read the journal as after a sweep). */
const READY_LIMIT = 10_000;

interface Lane {
  again: boolean;
  done: Promise<void>;
}

/**
 * Forwards journal entries to Temporal: per key (workflow) strictly in arrival order, one lane per
 * key, `concurrency` lanes at once. A lane forwards the key's oldest pending entry, marks it, and
 * reads the next, so an entry never overtakes an earlier one of its key, whichever replica wrote
 * either. While Temporal is unreachable a single probe lane retries with backoff (1 s → 10 s).
 *
 * An entry this process just appended, whose predecessor in its key was already forwarded, is the key's
 * oldest pending one: it is forwarded from memory, without reading it back. Every other case (a sweep, a
 * retry, an entry behind a pending one) reads the key's oldest pending entry until there is none.
 */
export class JournalForwarder {
  private readonly options: Required<JournalForwarderOptions>;
  private readonly lanes = new Map<string, Lane>();
  private readonly queued = new Set<string>();
  /** Keys whose pending entries must be read from the journal. */
  private readonly unread = new Set<string>();
  /** Of those, keys a sweep found: read with a query that sees every replica's entries (see oldestPending). */
  private readonly swept = new Set<string>();
  /** Per key, appended entries known to be next in line (see above). */
  private readonly ready = new Map<string, JournalEntry<Handover>[]>();
  private readyCount = 0;
  private readonly notBefore = new Map<string, number>();
  private readonly keyFailures = new Map<string, number>();
  private readonly waiters = new ForwardWaiters();
  private readonly temporal: OutageLog;
  private readonly database: OutageLog;
  private outageDelayMs = BACKOFF_MIN_MS;
  private retryAt = 0;
  private retryTimer?: NodeJS.Timeout;
  private sweepTimer?: NodeJS.Timeout;
  private lastPrune = 0;
  private stopped = false;

  constructor(options: JournalForwarderOptions) {
    this.options = { sweepIntervalMs: 5_000, sweepGraceMs: 5_000, retentionMs: 3_600_000, ...options };
    this.temporal = new OutageLog(options.logger, 'Temporal', 'inbound events stay in the journal and are forwarded once it answers');
    this.database = new OutageLog(options.logger, 'database', 'the inbound journal cannot be read');
  }

  /** Resumes whatever is pending (whoever wrote it), then sweeps periodically. */
  start(): void {
    this.scheduleSweep(0, 0);
  }

  /** A webhook journaled an entry for `key` (`appended`, when it is at hand): forward it now. */
  kick(key: string, appended?: AppendedEntry<Handover>): void {
    if (appended && this.isNextInLine(appended)) {
      const { previous: _previous, ...entry } = appended;
      this.ready.set(key, [...(this.ready.get(key) ?? []), entry]);
      this.readyCount++;
    } else {
      this.unread.add(key);
    }
    const lane = this.lanes.get(key);
    if (lane) lane.again = true;
    else this.queued.add(key);
    this.fill();
  }

  /** True once this process forwarded the entry; false after `timeoutMs`, or at once while Temporal is known to be down. */
  forwarded(entryId: string, timeoutMs: number): Promise<boolean> {
    return this.waiters.wait(entryId, this.temporal.down || this.stopped ? 0 : timeoutMs);
  }

  /** Nothing before it in its key is pending: forwarded entries never become pending again, so it stays first. */
  private isNextInLine(entry: AppendedEntry<Handover>): boolean {
    if (this.temporal.down || this.stopped || this.readyCount >= READY_LIMIT) return false;
    return !entry.previous || entry.previous.forwarded || this.waiters.wasForwarded(entry.previous.id);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.sweepTimer);
    clearTimeout(this.retryTimer);
    this.waiters.releaseAll();
    await Promise.allSettled([...this.lanes.values()].map((lane) => lane.done));
  }

  private scheduleSweep(delayMs: number, graceMs: number): void {
    if (this.stopped) return;
    this.sweepTimer = setTimeout(() => {
      void this.sweep(graceMs).finally(() => this.scheduleSweep(this.options.sweepIntervalMs, this.options.sweepGraceMs));
    }, delayMs).unref();
  }

  private async sweep(graceMs: number): Promise<void> {
    try {
      const keys = await this.options.journal.pendingKeys(new Date(Date.now() - graceMs));
      this.database.recovered();
      for (const key of keys) {
        this.unread.add(key);
        // A key this process is forwarding already is read in order by its lane; under a backlog, marking it would
        // turn each of its reads into a query that scans. A key nobody here works on is read with that query.
        if (!this.lanes.has(key) && !this.queued.has(key)) this.swept.add(key);
        if (!this.lanes.has(key)) this.queued.add(key);
      }
      this.fill();
      if (Date.now() - this.lastPrune >= PRUNE_EVERY_MS) {
        this.lastPrune = Date.now();
        await this.options.journal.pruneForwarded(new Date(Date.now() - this.options.retentionMs));
      }
    } catch (error) {
      this.database.failed(describeError(error));
    }
  }

  /** Starts lanes for queued keys: up to `concurrency`, or one probe while Temporal is down and its backoff has passed. */
  private fill(): void {
    if (this.stopped) return;
    const now = Date.now();
    if (this.temporal.down && now < this.retryAt) return this.wakeAt(this.retryAt);
    const limit = this.temporal.down ? 1 : this.options.concurrency;
    for (const key of this.queued) {
      if (this.lanes.size >= limit) return;
      if ((this.notBefore.get(key) ?? 0) > now) continue;
      this.queued.delete(key);
      const lane: Lane = { again: false, done: Promise.resolve() };
      this.lanes.set(key, lane);
      lane.done = this.drain(key, lane, this.temporal.down).finally(() => {
        this.lanes.delete(key);
        if (lane.again) this.queued.add(key);
        this.fill();
      });
    }
  }

  private wakeAt(at: number): void {
    if (this.retryTimer) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.fill();
    }, Math.max(0, at - Date.now())).unref();
  }

  private async drain(key: string, lane: Lane, probe: boolean): Promise<void> {
    try {
      while (!this.stopped) {
        lane.again = false;
        const entry = this.takeReady(key) ?? (await this.readNext(key));
        if (!entry) {
          if (lane.again) continue;
          break;
        }
        try {
          await this.options.forward(entry.payload);
        } catch (error) {
          this.forgetReady(key);
          return this.forwardFailed(key, error, probe);
        }
        this.reachable();
        this.waiters.forwarded(entry.id);
        await this.options.journal.markForwarded(entry.id);
        this.keyFailures.delete(key);
        this.notBefore.delete(key);
      }
    } catch (error) {
      this.forgetReady(key);
      this.keyFailed(key, error);
    }
  }

  /** The key's next entry from memory, skipping any forwarded meanwhile (by a read of this lane). */
  private takeReady(key: string): JournalEntry<Handover> | undefined {
    const entries = this.ready.get(key);
    for (let entry = entries?.shift(); entry; entry = entries?.shift()) {
      this.readyCount--;
      if (entries!.length === 0) this.ready.delete(key);
      if (!this.waiters.wasForwarded(entry.id)) return entry;
    }
    this.ready.delete(key);
    return undefined;
  }

  /** The key's oldest pending entry from the journal, when it must be read; reading goes on until none is left. */
  private async readNext(key: string): Promise<JournalEntry<Handover> | undefined> {
    if (!this.unread.delete(key)) return undefined;
    const entry = await this.options.journal.oldestPending(key, { scan: this.swept.has(key) });
    if (entry) this.unread.add(key);
    else this.swept.delete(key);
    return entry;
  }

  /** After a failure the journal is the truth: the key's entries are read again when it is retried. */
  private forgetReady(key: string): void {
    this.readyCount -= this.ready.get(key)?.length ?? 0;
    this.ready.delete(key);
    this.unread.add(key);
  }

  private forwardFailed(key: string, error: unknown, probe: boolean): void {
    if (!isTemporalUnreachable(error)) {
      this.reachable(); // Temporal answered: it refused this one event.
      return this.keyFailed(key, error);
    }
    this.queued.add(key);
    if (this.temporal.down && !probe) return;
    this.temporal.failed(describeError(error));
    for (const waitingKey of [...this.ready.keys()]) this.forgetReady(waitingKey);
    this.waiters.releaseAll();
    this.retryAt = Date.now() + this.outageDelayMs;
    this.outageDelayMs = Math.min(BACKOFF_MAX_MS, this.outageDelayMs * 2);
  }

  private reachable(): void {
    this.outageDelayMs = BACKOFF_MIN_MS;
    this.retryAt = 0;
    if (!this.temporal.down) return;
    this.temporal.recovered();
    this.fill();
  }

  /** One key's entry could not be read or was refused: that key backs off, the others go on. */
  private keyFailed(key: string, error: unknown): void {
    const failures = (this.keyFailures.get(key) ?? 0) + 1;
    this.keyFailures.set(key, failures);
    if (error instanceof MongoError) this.database.failed(describeError(error)); // one line per outage, not per key
    else if (failures === 1) this.options.logger.warn({ key, error: describeError(error) }, 'an inbound event could not be forwarded yet; its workflow waits, others go on');
    const delay = Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS * 2 ** (failures - 1));
    this.notBefore.set(key, Date.now() + delay);
    setTimeout(() => this.kick(key), delay).unref();
  }
}
