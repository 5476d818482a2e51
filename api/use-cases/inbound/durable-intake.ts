import type { Logger } from 'pino';
import { withTimeout } from '../../../db/connection.js';
import type { InboundJournal } from '../../../db/repositories/inbound-journal.js';
import { describeError, handOver, type Handover, type TemporalTarget } from './handover.js';
import type { JournalForwarder } from './journal-forwarder.js';
import { OutageLog } from './outage-log.js';

/** How an accepted event was made durable: a journal entry (forwarded in the background), or Temporal directly. */
export interface Receipt {
  entryId?: string;
}

/** Providers give up on a webhook after ~15 s: whatever happens, answer well before. */
const ACK_BUDGET_MS = 8_000;
/** Past this the database counts as down for this event, and Temporal is asked directly. */
const JOURNAL_WRITE_TIMEOUT_MS = 2_500;

/**
 * The ack path of every webhook event. The event is written to the inbound journal (then the
 * forwarder hands it to Temporal at once, or after an outage); when the database cannot take it,
 * it goes to Temporal directly as before the journal existed. Only when neither holds it does
 * `accept` throw, and the webhook answers 503 so the provider delivers again.
 */
export class DurableIntake {
  private readonly journalOutage: OutageLog;

  constructor(
    private readonly deps: {
      journal: InboundJournal<Handover>;
      forwarder: JournalForwarder;
      temporal: TemporalTarget;
      logger: Logger;
      /** How long a webhook waits for its events to reach Temporal before answering anyway (they are durable). */
      ackWaitMs: number;
    },
  ) {
    this.journalOutage = new OutageLog(deps.logger, 'inbound journal', 'webhooks hand events to Temporal directly');
  }

  async accept(handover: Handover): Promise<Receipt> {
    const started = Date.now();
    try {
      const entry = await withTimeout(this.deps.journal.append(handover.workflowId, handover), JOURNAL_WRITE_TIMEOUT_MS, 'journal write');
      this.journalOutage.recovered();
      this.deps.forwarder.kick(entry.key, entry);
      return { entryId: entry.id };
    } catch (error) {
      this.journalOutage.failed(describeError(error));
    }
    await handOver(this.deps.temporal, handover, Math.max(1_000, ACK_BUDGET_MS - (Date.now() - started)));
    return {};
  }

  /** How many accepted events wait for Temporal (readiness reports it). */
  backlog(): Promise<number> {
    return this.deps.journal.pendingCount();
  }

  /** Waits (at most `ackWaitMs`) until these events are in Temporal; never throws: journaled events are durable already. */
  async settle(receipts: Receipt[]): Promise<void> {
    const entries = receipts.flatMap((receipt) => (receipt.entryId ? [receipt.entryId] : []));
    await Promise.all(entries.map((entryId) => this.deps.forwarder.forwarded(entryId, this.deps.ackWaitMs)));
  }
}
