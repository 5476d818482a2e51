import { heartbeat } from '@temporalio/activity';
import type { Db } from 'mongodb';
import { OneTimeKeys } from '../../services/forms/one-time-keys.js';
import { Collections } from '../../db/collections.js';
import { EventLog } from '../../db/repositories/events.js';

export type RetentionTarget = 'messages' | 'conversations' | 'vault' | 'secureForms' | 'events';

export interface RetentionActivityDependencies {
  db: Db;
  vaultDb: Db;
  retention: { transcriptDays: number; vaultDays: number; eventsDays: number };
}

const DAY = 24 * 60 * 60 * 1000;

/** Deletes up to `batchSize` ids matching `filter`: bounded work, safe to repeat (deleting twice deletes nothing). */
async function deleteBatch(db: Db, collection: string, filter: Record<string, unknown>, batchSize: number): Promise<number> {
  const ids = (await db.collection(collection).find(filter, { projection: { _id: 1 } }).limit(batchSize).toArray()).map((doc) => doc._id);
  if (ids.length === 0) return 0;
  const { deletedCount } = await db.collection(collection).deleteMany({ _id: { $in: ids } });
  return deletedCount;
}

export function createRetentionActivities(deps: RetentionActivityDependencies) {
  return {
    /** Every brand with its cut-offs (the brand's own retention, else the deployment's). */
    async retentionPlan(input: { now: string }) {
      const now = new Date(input.now).getTime();
      const brands = await deps.db.collection<{ _id: string; retention?: { transcriptDays?: number; vaultDays?: number } }>(Collections.brands)
        .find({}, { projection: { retention: 1 } }).limit(10_000).toArray();
      return brands.map((brand) => ({
        brandId: brand._id,
        transcriptsBefore: new Date(now - (brand.retention?.transcriptDays ?? deps.retention.transcriptDays) * DAY).toISOString(),
        vaultBefore: new Date(now - (brand.retention?.vaultDays ?? deps.retention.vaultDays) * DAY).toISOString(),
        // Live events serve reconnecting streams only: one deployment-wide bound.
        eventsBefore: new Date(now - deps.retention.eventsDays * DAY).toISOString(),
      }));
    },

    /** One bounded batch of one kind of record past its cut-off, for one brand. */
    async deleteExpiredBatch(input: { brandId: string; target: RetentionTarget; before: string; batchSize: number }): Promise<number> {
      heartbeat(input.target);
      const before = new Date(input.before);
      switch (input.target) {
        case 'messages':
          return deleteBatch(deps.db, Collections.messages, { brandId: input.brandId, createdAt: { $lt: before } }, input.batchSize);
        case 'conversations':
          return deleteBatch(deps.db, Collections.conversations, { brandId: input.brandId, status: 'closed', lastMessageAt: { $lt: before } }, input.batchSize);
        case 'secureForms':
          return deleteBatch(deps.db, Collections.secureForms, { brandId: input.brandId, sentAt: { $lt: before } }, input.batchSize);
        case 'events':
          // The brand's newest event stays whatever its age: numbering goes on after it, never again from 1.
          return deleteBatch(deps.db, Collections.events, { brandId: input.brandId, at: { $lt: before }, seq: { $lt: await new EventLog(deps.db).latestSeq(input.brandId) } }, input.batchSize);
        case 'vault':
          return deleteBatch(deps.vaultDb, Collections.vaultRecords, { brandId: input.brandId, createdAt: { $lt: before } }, input.batchSize);
      }
    },

    /** Records that expire by themselves: one-time keys and sessions past their expiry. */
    async deleteExpiredCredentials(input: { now: string; batchSize: number }): Promise<{ oneTimeKeys: number; sessions: number }> {
      const now = new Date(input.now);
      const oneTimeKeys = await new OneTimeKeys(deps.db).deleteExpired(now, input.batchSize);
      const sessions = await deleteBatch(deps.db, Collections.sessions, { expiresAt: { $lt: now } }, input.batchSize);
      return { oneTimeKeys, sessions };
    },
  };
}

export type RetentionActivities = ReturnType<typeof createRetentionActivities>;
