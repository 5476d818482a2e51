import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startSystem, type RunningSystem } from '../../runtime/system.js';
import type { RetentionReport } from '../../workflows/retention/workflow.js';
import { call, inboundSms, startConnectorWorld, type ConnectorWorld } from '../support/connectors.js';
import { conversationWithAgent, hiddenKey, linkSentTo, openFormLink, postForm } from '../support/secure-forms.js';
import { addAgent } from '../support/workspace.js';

/** Routing, secure forms and retention give the same outcome whether one worker or three share the task queue. */
describe.each([1, 3])('with %i worker(s) on the task queue', (count) => {
  let world: ConnectorWorld;
  const workers: RunningSystem[] = [];

  beforeAll(async () => {
    world = await startConnectorWorld({ worker: false, env: { TRANSCRIPT_RETENTION_DAYS: '30' } });
    workers.push(
      ...(await Promise.all(
        Array.from({ length: count }, () =>
          startSystem({ settings: world.system.settings, logger: world.system.logs.logger, run: { api: false, worker: true }, workflowBundlePath: inject('workflowBundlePath') }),
        ),
      )),
    );
  }, 120_000);

  afterAll(async () => {
    await Promise.all(workers.splice(0).map((worker) => worker.stop()));
    await world?.stop();
  });

  it('gives each of six waiting conversations to exactly one of two online agents, within their capacity', async () => {
    const agents = [await addAgent(world, { skills: ['sales'], online: true, maxConcurrent: 3 }), await addAgent(world, { skills: ['sales'], online: true, maxConcurrent: 3 })];
    const consumers = Array.from({ length: 6 }, (_, index) => `+1415559${count}${String(100 + index).padStart(3, '0')}`);
    await Promise.all(consumers.map((from) => inboundSms(world, { from, body: 'routing, please' })));
    const db = world.system.services.database.db;
    const conversations = db.collection<{ _id: string; agentId?: string; status: string }>('conversations');
    const loads = () => Promise.all(agents.map((agent) => conversations.countDocuments({ agentId: agent.id, status: 'open' })));
    await expect.poll(loads, { timeout: 30_000 }).toEqual([3, 3]);
    const ids = (await conversations.find({ agentId: { $in: agents.map((agent) => agent.id) } }).toArray()).map((c) => c._id);
    // One assignment each: no conversation was given twice by workers racing.
    expect(await db.collection('audit_log').countDocuments({ action: 'conversation.assigned', 'target.id': { $in: ids } })).toBe(6);
  });

  it('collects a secure form and reveals it to its agent, CVV included', async () => {
    const { agent, conversationId, consumer } = await conversationWithAgent(world);
    const sent = await call(world, 'POST', `/api/v1/conversations/${conversationId}/forms`, agent.token, { templateId: 'card-payment' });
    const page = await (await openFormLink(world, await linkSentTo(world, consumer))).text();
    const submitted = await postForm(world, sent.body.formId as string, { key: hiddenKey(page), nameOnCard: 'Many Workers', cardNumber: '4111111111111111', expiry: '12/39', cvv: '275' });
    expect(submitted.status).toBe(200);
    const issued = await call(world, 'POST', `/api/v1/forms/${sent.body.formId}/reveal-key`, agent.token);
    const revealed = await call(world, 'POST', `/api/v1/forms/${sent.body.formId}/reveal`, agent.token, { key: issued.body.key });
    expect(revealed.status, JSON.stringify(revealed.body)).toBe(200);
    expect(Object.fromEntries((revealed.body.fields as { name: string; value: string }[]).map((f) => [f.name, f.value]))).toMatchObject({ cardNumber: '4111111111111111', cvv: '275' });
  });

  it('deletes what is past retention exactly once', async () => {
    const db = world.system.services.database.db;
    const now = new Date();
    const brandId = `ret-${count}-${randomUUID().slice(0, 6)}`;
    await db.collection('brands').insertOne({ _id: brandId as never, name: 'R', status: 'active', helpText: '', apiTokens: [], createdAt: now, updatedAt: now });
    const daysAgo = (days: number) => new Date(now.getTime() - days * 24 * 3600_000);
    await db.collection('messages').insertMany(
      [...Array.from({ length: 9 }, () => daysAgo(40)), daysAgo(5)].map((createdAt) => ({ _id: randomUUID() as never, brandId, conversationId: 'c', createdAt })),
    );
    const run = () =>
      world.system.services.temporal.client.workflow.execute<(input: { now: string; batchSize: number }) => Promise<RetentionReport>>('retentionWorkflow', {
        taskQueue: world.system.settings.temporal.taskQueue, workflowId: `retention-${randomUUID()}`, args: [{ now: now.toISOString(), batchSize: 2 }],
      });
    expect((await run())[brandId]).toEqual({ messages: 9 });
    expect((await run())[brandId]).toEqual({});
    expect(await db.collection('messages').countDocuments({ brandId })).toBe(1);
  });
});
