import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConversationDocument } from '../../../db/repositories/conversations.js';
import { conversationAddressContext, messageTextContext, newMessage, OWNER_BOUND_SEAL } from '../../../db/repositories/field-contexts.js';
import type { MessageDocument } from '../../../db/repositories/messages.js';
import { BRAND_NUMBER, call, startConnectorWorld, type ConnectorWorld } from '../../support/connectors.js';

/**
 * A console opens a conversation at its latest messages and scrolls back in time: order=newest pages from
 * the newest message to the oldest, each nextCursor continuing towards older ones. Transcripts are stored
 * directly (only reading is under test), many messages sharing one createdAt, so pages end inside ties.
 */
let world: ConnectorWorld;
beforeAll(async () => {
  world = await startConnectorWorld({ worker: false });
}, 60_000);
afterAll(() => world?.stop());

interface MessageView { id: string; text?: string; createdAt: string }
const db = () => world.system.services.database.db;

/** An open SMS conversation of the world's brand, as the conversation workflow stores it. */
async function storedConversation(): Promise<string> {
  const { fields } = world.system.services;
  const id = randomUUID();
  const now = new Date();
  const owner = { _id: id, brandId: world.brandId, sealed: OWNER_BOUND_SEAL } as const;
  await db().collection<ConversationDocument>('conversations').insertOne({
    ...owner, workflowId: `conversation:test:${id}`, channel: 'sms', channelId: world.twilioChannelId, entryPointId: `twilio:${BRAND_NUMBER}`, queueId: 'sales',
    consumer: { pseudonym: `p-${id}`, address: fields.seal(`+1415555${String(Math.floor(Math.random() * 10_000)).padStart(4, '0')}`, conversationAddressContext(owner)) },
    status: 'open', openedAt: now, lastMessageAt: now, messageCount: 0,
  });
  return id;
}

/**
 * `count` messages, `perInstant` of them sharing each createdAt (one second apart), stored in random order
 * with random ids, so neither insertion order nor id order follows time.
 */
async function storedMessages(conversationId: string, count: number, options: { perInstant: number; from?: Date }) {
  const { fields } = world.system.services;
  const start = options.from ?? new Date(Date.now() - 86_400_000);
  const docs: MessageDocument[] = Array.from({ length: count }, (_, i) => {
    const identity = newMessage(`msg_${randomBytes(8).toString('hex')}`, { brandId: world.brandId, conversationId });
    const createdAt = new Date(start.getTime() + Math.floor(i / options.perInstant) * 1_000);
    return {
      ...identity, direction: i % 2 ? 'outbound' : 'inbound', channel: 'sms', kind: 'text', text: fields.seal(`line ${i}`, messageTextContext(identity)),
      attachments: [], status: i % 2 ? 'delivered' : 'received', statusRank: i % 2 ? 5 : 0, statusHistory: [{ status: i % 2 ? 'delivered' : 'received', at: createdAt }], createdAt,
    };
  });
  const shuffled = [...docs].sort(() => Math.random() - 0.5);
  await db().collection<MessageDocument>('messages').insertMany(shuffled);
  return docs;
}

/** The transcript as the database orders it: (createdAt, _id), newest first. */
const newestFirst = (docs: MessageDocument[]) =>
  [...docs].sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a._id < b._id ? 1 : a._id > b._id ? -1 : 0)).map((doc) => doc._id);

const messagesPath = (conversationId: string, query: Record<string, string>) =>
  `/api/v1/conversations/${encodeURIComponent(conversationId)}/messages?${new URLSearchParams(query).toString()}`;

/** Every page from the start, following nextCursor; the ids of each page. */
async function walk(conversationId: string, query: Record<string, string>): Promise<string[][]> {
  const pages: string[][] = [];
  let after: string | undefined;
  do {
    const page = await call(world, 'GET', messagesPath(conversationId, { ...query, ...(after ? { after } : {}) }), world.apiToken);
    expect(page.status, JSON.stringify(page.body)).toBe(200);
    pages.push((page.body.items as MessageView[]).map((m) => m.id));
    after = page.body.nextCursor as string | undefined;
    if (pages.length > 500) throw new Error('paging does not end');
  } while (after);
  return pages;
}

describe('the transcript, newest first (order=newest)', () => {
  it('pages from the newest message to the oldest with no duplicate and no gap, ties on createdAt broken by id, pages ending inside ties', async () => {
    const conversationId = await storedConversation();
    const docs = await storedMessages(conversationId, 300, { perInstant: 9 });
    const pages = await walk(conversationId, { order: 'newest', limit: '25' });
    expect(pages.flat()).toEqual(newestFirst(docs));
    expect(pages.map((page) => page.length)).toEqual([...Array(12).fill(25)]);
  });

  it('lists the same messages as oldest first, in reverse, at any page size', async () => {
    const conversationId = await storedConversation();
    await storedMessages(conversationId, 120, { perInstant: 7 });
    const oldest = (await walk(conversationId, { limit: '13' })).flat();
    const newest = (await walk(conversationId, { order: 'newest', limit: '6' })).flat();
    expect(oldest).toHaveLength(120);
    expect(newest).toEqual([...oldest].reverse());
  });

  it('opens at the latest message: the first page holds the newest, newest first', async () => {
    const conversationId = await storedConversation();
    const docs = await storedMessages(conversationId, 40, { perInstant: 3 });
    const first = await call(world, 'GET', messagesPath(conversationId, { order: 'newest', limit: '5' }), world.apiToken);
    expect((first.body.items as MessageView[]).map((m) => m.id)).toEqual(newestFirst(docs).slice(0, 5));
    const times = (first.body.items as MessageView[]).map((m) => m.createdAt);
    expect(times).toEqual([...times].sort().reverse());
    expect(first.body.nextCursor).toBe(first.body.items[4].id);
  });

  it('keeps paging back unchanged while newer messages arrive', async () => {
    const conversationId = await storedConversation();
    const docs = await storedMessages(conversationId, 60, { perInstant: 4 });
    const first = await call(world, 'GET', messagesPath(conversationId, { order: 'newest', limit: '20' }), world.apiToken);
    // Messages recorded after the console opened the conversation, some at the very instant of the newest one.
    await storedMessages(conversationId, 10, { perInstant: 10, from: docs.at(-1)!.createdAt });
    let after = first.body.nextCursor as string | undefined;
    const seen = (first.body.items as MessageView[]).map((m) => m.id);
    while (after) {
      const page = await call(world, 'GET', messagesPath(conversationId, { order: 'newest', limit: '20', after }), world.apiToken);
      seen.push(...(page.body.items as MessageView[]).map((m) => m.id));
      after = page.body.nextCursor as string | undefined;
    }
    expect(seen).toEqual(newestFirst(docs));
  });

  it('ends with a page that has no nextCursor', async () => {
    const conversationId = await storedConversation();
    const docs = await storedMessages(conversationId, 10, { perInstant: 10 });
    const last = await call(world, 'GET', messagesPath(conversationId, { order: 'newest', limit: '10' }), world.apiToken);
    expect(last.body.items).toHaveLength(10);
    expect(last.body.nextCursor).toBeUndefined();
    const beyond = await call(world, 'GET', messagesPath(conversationId, { order: 'newest', after: newestFirst(docs).at(-1)! }), world.apiToken);
    expect(beyond.body).toEqual({ items: [] });
  });

  it('answers 400 invalid_cursor for an after naming no message of this conversation, as oldest first does', async () => {
    const conversationId = await storedConversation();
    const other = await storedConversation();
    const [othersMessage] = await storedMessages(other, 1, { perInstant: 1 });
    await storedMessages(conversationId, 3, { perInstant: 1 });
    for (const after of [`msg_${randomUUID()}`, othersMessage!._id]) {
      for (const order of ['newest', 'oldest']) {
        const refused = await call(world, 'GET', messagesPath(conversationId, { order, after }), world.apiToken);
        expect({ order, status: refused.status, code: refused.body.error?.code }).toEqual({ order, status: 400, code: 'invalid_cursor' });
      }
    }
  });

  it('refuses an order it does not know with 400', async () => {
    const conversationId = await storedConversation();
    const refused = await call(world, 'GET', messagesPath(conversationId, { order: 'latest' }), world.apiToken);
    expect(refused.status).toBe(400);
    expect(refused.body.error.details).toEqual([expect.objectContaining({ in: 'query', path: 'order' })]);
  });
});
