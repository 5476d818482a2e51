import type { Db, Document, Filter } from 'mongodb';
import { Collections } from '../../../db/collections.js';
import type { ConversationDocument } from '../../../db/repositories/conversations.js';
import type { MessageDocument } from '../../../db/repositories/messages.js';
import type { SecureFormDocument } from '../../../db/repositories/secure-forms.js';
import type { ReportRange } from './time-buckets.js';

/**
 * Every database read of the reports, as (collection, filter, projection): each filter leads with
 * brandId and a range or equality on an indexed field (see db/collections.ts), so none scans a whole
 * collection. Sums are done in code: FerretDB serves little aggregation.
 */
export interface ReportQuery<T extends Document> {
  collection: string;
  filter: Filter<T>;
  projection: Document;
}

const between = ({ from, to }: ReportRange) => ({ $gte: from, $lt: to });

export const reportQueries = {
  /** Index brand_opened. */
  conversationsOpened: (brandId: string, range: ReportRange): ReportQuery<ConversationDocument> => ({
    collection: Collections.conversations,
    filter: { brandId, openedAt: between(range) },
    projection: { channel: 1, entryPointId: 1, queueId: 1, openedAt: 1, agentId: 1 },
  }),
  /** Index brand_closed. */
  conversationsClosed: (brandId: string, range: ReportRange): ReportQuery<ConversationDocument> => ({
    collection: Collections.conversations,
    filter: { brandId, closedAt: between(range) },
    projection: { openedAt: 1, closedAt: 1 },
  }),
  /** Index brand_status_lastMessage. */
  conversationsOpen: (brandId: string): ReportQuery<ConversationDocument> => ({
    collection: Collections.conversations,
    filter: { brandId, status: 'open' },
    projection: { _id: 1 },
  }),
  /** Index _id. */
  conversationsById: (brandId: string, ids: string[]): ReportQuery<ConversationDocument> => ({
    collection: Collections.conversations,
    filter: { _id: { $in: ids }, brandId },
    projection: { entryPointId: 1, queueId: 1 },
  }),
  /** Index brand_created. */
  messagesCreated: (brandId: string, range: ReportRange): ReportQuery<MessageDocument> => ({
    collection: Collections.messages,
    filter: { brandId, createdAt: between(range) },
    projection: { conversationId: 1, direction: 1, channel: 1, status: 1, createdAt: 1 },
  }),
  /** Index conversation_created. */
  messagesOf: (brandId: string, conversationIds: string[]): ReportQuery<MessageDocument> => ({
    collection: Collections.messages,
    filter: { conversationId: { $in: conversationIds }, brandId },
    projection: { conversationId: 1, direction: 1, agentId: 1, createdAt: 1 },
  }),
  /** Index brand_sent. */
  formsSent: (brandId: string, range: ReportRange): ReportQuery<SecureFormDocument> => ({
    collection: Collections.secureForms,
    filter: { brandId, sentAt: between(range) },
    projection: { status: 1 },
  }),
};

/** Streams the documents one query selects (bounded by its indexed range). */
export async function* read<T extends Document>(db: Db, query: ReportQuery<T>): AsyncGenerator<T> {
  const cursor = db.collection<T>(query.collection).find(query.filter, { projection: query.projection, batchSize: 1000 });
  for await (const doc of cursor) yield doc as T;
}

/** Runs a per-id query in batches of ids. */
export async function* readInBatches<T extends Document>(db: Db, ids: string[], query: (ids: string[]) => ReportQuery<T>, size = 500) {
  for (let i = 0; i < ids.length; i += size) yield* read(db, query(ids.slice(i, i + size)));
}
