import type { Db } from 'mongodb';
import { Collections } from '../../db/collections.js';

export interface SystemCheckDocument {
  _id: string;
  workflowId: string;
  requestedBy: string;
  checkedAt: Date;
  databaseRoundTripMs: number;
}

/** Writes (idempotently, keyed by workflow id) and reads back one self-check record. */
export function recordSystemCheckActivity(db: Db) {
  const checks = db.collection<SystemCheckDocument>(Collections.systemChecks);
  return async function recordSystemCheck(input: { workflowId: string; requestedBy: string }) {
    const started = performance.now();
    const checkedAt = new Date();
    await checks.updateOne(
      { _id: input.workflowId },
      { $setOnInsert: { workflowId: input.workflowId, requestedBy: input.requestedBy, checkedAt, databaseRoundTripMs: 0 } },
      { upsert: true },
    );
    const stored = await checks.findOne({ _id: input.workflowId });
    if (!stored) throw new Error(`system check ${input.workflowId} was not readable after writing it`);
    const databaseRoundTripMs = Math.round(performance.now() - started);
    await checks.updateOne({ _id: input.workflowId }, { $set: { databaseRoundTripMs } });
    return { databaseRoundTripMs, checkedAt: stored.checkedAt.toISOString() };
  };
}
