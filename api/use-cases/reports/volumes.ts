import type { Db } from 'mongodb';
import type { ConversationDocument } from '../../../db/repositories/conversations.js';
import { read, readInBatches, reportQueries } from './queries.js';
import { ZoneClock, type Granularity, type ReportRange } from './time-buckets.js';

export type VolumeGroupBy = 'channel' | 'entryPoint' | 'queue';

export interface VolumeRow {
  /** Local wall-clock label of the bucket start in the requested zone (`2026-03-29T00:00`). */
  bucket: string;
  /** The bucket's start instant (UTC ISO); tells apart the two local 02:00 hours of a fall-back night. */
  start: string;
  group: string;
  conversationsOpened: number;
  messagesInbound: number;
  messagesOutbound: number;
}

export interface VolumeRequest extends ReportRange {
  granularity: Granularity;
  timeZone: string;
  groupBy: VolumeGroupBy;
}

const unknownGroup = '(none)';

function groupOf(doc: Partial<Pick<ConversationDocument, 'channel' | 'entryPointId' | 'queueId'>>, groupBy: VolumeGroupBy): string {
  const value = groupBy === 'channel' ? doc.channel : groupBy === 'entryPoint' ? doc.entryPointId : doc.queueId;
  return value ?? unknownGroup;
}

/** Conversations opened and messages in/out per local bucket and group, summed in code. */
export async function volumes(db: Db, brandId: string, request: VolumeRequest): Promise<VolumeRow[]> {
  const clock = new ZoneClock(request.timeZone);
  const rows = new Map<string, VolumeRow>();
  const row = (at: Date, group: string) => {
    const { label, start } = clock.bucket(at, request.granularity);
    const key = `${start.toISOString()}|${group}`;
    let found = rows.get(key);
    if (!found) rows.set(key, (found = { bucket: label, start: start.toISOString(), group, conversationsOpened: 0, messagesInbound: 0, messagesOutbound: 0 }));
    return found;
  };

  for await (const conversation of read(db, reportQueries.conversationsOpened(brandId, request))) {
    row(conversation.openedAt, groupOf(conversation, request.groupBy)).conversationsOpened += 1;
  }

  const messages = [];
  for await (const message of read(db, reportQueries.messagesCreated(brandId, request))) {
    if (message.direction === 'inbound' || message.direction === 'outbound') messages.push(message);
  }
  const groups = new Map<string, string>();
  if (request.groupBy !== 'channel') {
    const ids = [...new Set(messages.map((message) => message.conversationId))];
    for await (const conversation of readInBatches(db, ids, (batch) => reportQueries.conversationsById(brandId, batch))) {
      groups.set(conversation._id, groupOf(conversation, request.groupBy));
    }
  }
  for (const message of messages) {
    const group = request.groupBy === 'channel' ? message.channel : (groups.get(message.conversationId) ?? unknownGroup);
    const target = row(message.createdAt, group);
    if (message.direction === 'inbound') target.messagesInbound += 1;
    else target.messagesOutbound += 1;
  }

  return [...rows.values()].sort((a, b) => a.start.localeCompare(b.start) || a.group.localeCompare(b.group));
}
