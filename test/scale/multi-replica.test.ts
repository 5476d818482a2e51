import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, inboundSms, openSmsConversation, startConnectorWorld, transcript, type ConnectorWorld } from '../support/connectors.js';
import { openEventStream } from '../support/event-stream-client.js';
import { spawnApiProcess, type ApiProcess } from '../support/live-processes.js';
import { conversationWithAgent, hiddenKey, linkSentTo, openFormLink, postForm } from '../support/secure-forms.js';
import { twilioSid } from '../support/standins/twilio-standin.js';
import { spawnWorkerProcess, type WorkerProcess } from '../support/worker-process.js';
import type { Agent } from '../support/workspace.js';

/**
 * Switchboard as it scales out: replica A (the API in this process), replica B (a second API
 * process), and two worker processes sharing the task queue, on the run's Temporal and database.
 */
let world: ConnectorWorld;
let replicaB: ApiProcess;
const workers: WorkerProcess[] = [];

beforeAll(async () => {
  world = await startConnectorWorld({ worker: false, env: { DELIVERY_RETRY_INITIAL_MS: '500', DELIVERY_RETRY_MAX_MS: '2000' } });
  const [b, ...started] = await Promise.all([
    spawnApiProcess(world.system.settings),
    spawnWorkerProcess({ settings: world.system.settings }),
    spawnWorkerProcess({ settings: world.system.settings }),
  ]);
  replicaB = b;
  workers.push(...started);
}, 240_000);

afterAll(async () => {
  await Promise.all(workers.map((worker) => worker.kill()));
  await replicaB?.stop();
  await world?.stop();
});

/** The same world, reached through another replica: same public URL (webhook signatures), another port. */
const through = (replica: { url: string }): ConnectorWorld => ({ ...world, system: { ...world.system, url: replica.url } });
const A = () => world;
const B = () => through(replicaB);

let phone = 0;
const newConsumer = () => `+1415557${String(2000 + ++phone).padStart(4, '0')}`;

async function revealThrough(via: ConnectorWorld, formId: string, agent: Agent) {
  const issued = await call(via, 'POST', `/api/v1/forms/${formId}/reveal-key`, agent.token);
  expect(issued.status, JSON.stringify(issued.body)).toBe(201);
  return call(via, 'POST', `/api/v1/forms/${formId}/reveal`, agent.token, { key: issued.body.key });
}

/** A card form sent by the conversation's agent, opened and submitted by the consumer through `submitVia`. */
async function submittedCardForm(submitVia: ConnectorWorld, cvv: string) {
  const { agent, conversationId, consumer } = await conversationWithAgent(world);
  const sent = await call(world, 'POST', `/api/v1/conversations/${conversationId}/forms`, agent.token, { templateId: 'card-payment' });
  expect(sent.status, JSON.stringify(sent.body)).toBe(201);
  const page = await (await openFormLink(submitVia, await linkSentTo(world, consumer))).text();
  const submitted = await postForm(submitVia, sent.body.formId as string, {
    key: hiddenKey(page), nameOnCard: 'Replica Holder', cardNumber: '4111111111111111', expiry: '12/39', cvv,
  });
  expect(submitted.status).toBe(200);
  return { agent, formId: sent.body.formId as string };
}

const valuesOf = (body: { fields: { name: string; value: string }[] }) => Object.fromEntries(body.fields.map((field) => [field.name, field.value]));

describe('several API replicas and workers', () => {
  it('records every inbound SMS once, whichever replica each webhook (and its redelivery) reached', async () => {
    const from = newConsumer();
    const id = await openSmsConversation(world, from, { body: 'message 0', timeoutMs: 30_000 });
    const bodies = Array.from({ length: 10 }, (_, index) => `message ${index + 1}`);
    for (const [index, body] of bodies.entries()) {
      const messageSid = twilioSid('SM');
      const first = index % 2 === 0 ? A() : B();
      const redelivery = index % 2 === 0 ? B() : A();
      expect((await inboundSms(first, { from, body, messageSid })).status).toBe(200);
      expect((await inboundSms(redelivery, { from, body, messageSid })).status).toBe(200);
    }
    await expect
      .poll(async () => (await transcript(world, id)).filter((m) => m.direction === 'inbound').map((m) => m.text), { timeout: 30_000 })
      .toEqual(['message 0', ...bodies]);
  });

  it("shows an agent's event stream on replica A a message that arrived through replica B", async () => {
    const from = newConsumer();
    const id = await openSmsConversation(world, from, { body: 'arrived through A', timeoutMs: 30_000 });
    const stream = await openEventStream(world.system.url, world.apiToken);
    try {
      expect((await inboundSms(B(), { from, body: 'arrived through B' })).status).toBe(200);
      const events = await stream.waitUntil((seen) => seen.some((event) => event.type === 'message.created' && event.data.conversationId === id), 30_000);
      const created = events.find((event) => event.type === 'message.created' && event.data.conversationId === id)!;
      const message = (await transcript(world, id)).find((m) => m.id === created.data.messageId);
      expect(message?.text).toBe('arrived through B');
    } finally {
      stream.close();
    }
  });

  it('reveals through replica B a form submitted through replica A, CVV included while its timer runs', async () => {
    const { agent, formId } = await submittedCardForm(A(), '731');
    const revealed = await revealThrough(B(), formId, agent);
    expect(revealed.status, JSON.stringify(revealed.body)).toBe(200);
    expect(valuesOf(revealed.body)).toEqual({ nameOnCard: 'Replica Holder', cardNumber: '4111111111111111', expiry: '12/39', cvv: '731' });
  });

  it('reveals through replica A a form submitted through replica B, CVV included', async () => {
    const { agent, formId } = await submittedCardForm(B(), '842');
    expect(world.system.services.offRecord.store.get(formId)).toBeUndefined();
    const revealed = await revealThrough(A(), formId, agent);
    expect(revealed.status, JSON.stringify(revealed.body)).toBe(200);
    expect(valuesOf(revealed.body).cvv).toBe('842');
  });

  it('erases the CVV at its holder when the conversation is closed through another replica', async () => {
    const { agent, formId } = await submittedCardForm(A(), '953');
    const form = await call(world, 'GET', `/api/v1/forms/${formId}`, agent.token);
    const closed = await call(B(), 'POST', `/api/v1/conversations/${form.body.conversationId}/close`, agent.token, { reason: 'resolved' });
    expect(closed.status, JSON.stringify(closed.body)).toBe(200);
    expect(world.system.services.offRecord.store.get(formId)).toBeUndefined();
  });

  it('loses the CVV with the replica that held it: another replica answers 410 off_record_expired', async () => {
    const replicaC = await spawnApiProcess(world.system.settings);
    let stopped = false;
    try {
      const { agent, formId } = await submittedCardForm(through(replicaC), '164');
      await replicaC.stop();
      stopped = true;
      const revealed = await revealThrough(A(), formId, agent);
      expect(revealed.status, JSON.stringify(revealed.body)).toBe(410);
      expect(revealed.body.error.code).toBe('off_record_expired');
    } finally {
      if (!stopped) await replicaC.stop();
    }
  });

  it('delivers a reply exactly once and keeps taking messages when the worker sending it is killed', async () => {
    const from = newConsumer();
    const id = await openSmsConversation(world, from, { timeoutMs: 30_000 });
    const { workflowId } = (await world.system.services.database.db.collection<{ _id: string; workflowId: string }>('conversations').findOne({ _id: id }))!;
    // Twilio takes the message at once but answers only in 30 s: the answer dies with the worker.
    world.twilio.delayNext(30_000);
    const sent = await call(world, 'POST', `/api/v1/conversations/${id}/replies`, world.apiToken, { text: 'sent once, whatever happens' });
    expect(sent.status).toBe(202);
    let sender: WorkerProcess | undefined;
    await expect.poll(async () => {
      const { raw } = await world.system.services.temporal.client.workflow.getHandle(workflowId).describe();
      const identity = raw.pendingActivities?.find((activity) => activity.activityType?.name === 'deliverMessage')?.lastWorkerIdentity ?? '';
      sender = workers.find((worker) => identity.startsWith(`${worker.pid}@`));
      return sender !== undefined && world.twilio.sent.some((m) => m.to === from);
    }, { timeout: 30_000 }).toBe(true);
    await sender!.kill();
    workers.splice(workers.indexOf(sender!), 1);

    expect((await inboundSms(B(), { from, body: 'still there?' })).status).toBe(200);
    await expect.poll(async () => (await transcript(world, id)).map((m) => m.text), { timeout: 30_000 }).toContain('still there?');
    // The survivor takes over once the dead attempt's heartbeat times out, finds the message at Twilio, and does not send it again.
    await expect
      .poll(async () => (await transcript(world, id)).find((m) => m.id === sent.body.messageId)?.status, { timeout: 90_000 })
      .toMatch(/^(queued|sent|delivered)$/);
    expect(world.twilio.sent.filter((m) => m.to === from).map((m) => m.body)).toEqual(['sent once, whatever happens']);
  }, 150_000);
});
