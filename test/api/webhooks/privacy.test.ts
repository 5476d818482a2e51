import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import protoModule from '@temporalio/proto';
import { BSON } from 'mongodb';
import { waitFor } from '../../support/wait-for.js';
import { call, inboundSms, listConversations, startConnectorWorld, transcript, type ConnectorWorld } from '../../support/connectors.js';

let world: ConnectorWorld;
const consumer = '+14155550987';
// Letters between the digits: a long digit run could be a Luhn-valid "card number" and get masked.
const canary = `CANARY-${randomBytes(6).toString('hex')}`;
let conversationId: string;

beforeAll(async () => {
  world = await startConnectorWorld();
  await inboundSms(world, { from: consumer, body: `${canary} inbound, card 4242 4242 4242 4242` });
  await waitFor(() => listConversations(world), (list) => list.length === 1);
  conversationId = (await listConversations(world))[0]!.id;
  const reply = await call(world, 'POST', `/api/v1/conversations/${conversationId}/replies`, world.apiToken, { text: `${canary} outbound` });
  await waitFor(() => transcript(world, conversationId), (messages) => messages.find((m) => m.id === reply.body.messageId)?.status === 'queued');
}, 90_000);
afterAll(() => world?.stop());

const secretsAndContent = () => [canary, consumer, consumer.slice(1), '4242 4242 4242 4242', world.authToken, world.appSecret, world.pageAccessToken, world.verifyToken];

describe('where consumer content and secrets never appear', () => {
  it('agents read the (masked) text through the API', async () => {
    expect((await transcript(world, conversationId)).map((m) => m.text)).toEqual([
      `${canary} inbound, card **** **** **** 4242`,
      `${canary} outbound`,
    ]);
  });

  it('not in the logs', () => {
    const logs = world.system.logs.text();
    expect(logs.length).toBeGreaterThan(0);
    for (const value of secretsAndContent()) expect(logs, value).not.toContain(value);
  });

  it('not in Temporal history or visibility (ids hold pseudonyms only)', async () => {
    const { connection, client } = world.system.services.temporal;
    const doc = await world.system.services.database.db.collection('conversations').findOne({ _id: conversationId as never });
    expect(doc!.workflowId).not.toContain(consumer.slice(2));
    const { history } = await connection.workflowService.getWorkflowExecutionHistory({
      namespace: world.system.settings.temporal.namespace,
      execution: { workflowId: doc!.workflowId },
    });
    const raw = Buffer.from(protoModule.temporal.api.history.v1.History.encode(history!).finish()).toString('latin1');
    for (const value of secretsAndContent()) expect(raw, value).not.toContain(value);
    const description = await client.workflow.getHandle(doc!.workflowId).describe();
    expect(JSON.stringify(description.raw)).not.toContain(consumer.slice(1));
  });

  it('not in the database in plaintext (text, addresses and channel secrets are encrypted fields)', async () => {
    const db = world.system.services.database.db;
    const dump = async (name: string) => {
      const docs = await db.collection(name).find({}).toArray();
      // The raw BSON bytes: a plaintext value inside a Binary field would show here too.
      return docs.map((doc) => Buffer.from(BSON.serialize(doc)).toString('latin1')).join('\n');
    };
    for (const name of ['messages', 'conversations', 'channels', 'entry_points', 'opt_outs', 'brands']) {
      const text = await dump(name);
      for (const value of [canary, consumer, world.authToken, world.appSecret, world.pageAccessToken, world.verifyToken]) {
        expect(text, `${name}: ${value}`).not.toContain(value);
      }
    }
  });
});
