/**
 * What the visitor is told is what the agent reads next. The form page comes
 * back only once the opening is recorded, and "Thank you" only once the
 * submission is: the agent's very next status read and reveal show it, with
 * no waiting in between. The form's workflow takes the steps in order only,
 * and a submission it refuses gives the visitor the usual "can no longer be
 * used" page and leaves nothing readable behind.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { WorkflowNotFoundError, WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { decodeArrayFromPayloads } from '@temporalio/common/lib/internal-non-workflow/index.js';
import { Worker } from '@temporalio/worker';
import {
  formOpenedUpdate, formSubmittedUpdate, secureFormStateQuery, secureFormWorkflowId, type FormSubmitted,
} from '../../../workflows/secure-form/definitions.js';
import type { secureFormWorkflow } from '../../../workflows/secure-form/workflow.js';
import { call, startConnectorWorld, type ConnectorWorld } from '../../support/connectors.js';
import { conversationWithAgent, hiddenKey, linksSentTo, openFormLink, postForm } from '../../support/secure-forms.js';

let world: ConnectorWorld;
beforeAll(async () => {
  world = await startConnectorWorld();
}, 60_000);
afterAll(() => world?.stop());

const ROUNDS = 10;
const card = { cardNumber: '4111111111111111', expiry: '12/39', cvv: '246' };
const sameAsToday = 'This link can no longer be used';

async function reveal(token: string, formId: string) {
  const issued = await call(world, 'POST', `/api/v1/forms/${formId}/reveal-key`, token);
  if (issued.status !== 201) return issued;
  return call(world, 'POST', `/api/v1/forms/${formId}/reveal`, token, { key: issued.body.key });
}

describe('after the visitor is answered, the agent reads what the visitor did', () => {
  let setup: Awaited<ReturnType<typeof conversationWithAgent>>;
  const submittedFormIds: string[] = [];

  beforeAll(async () => {
    setup = await conversationWithAgent(world);
  }, 60_000);

  it(`the form page means "opened", "Thank you" means "submitted" and revealable, at once (${ROUNDS} forms in a row)`, async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const sent = await call(world, 'POST', `/api/v1/conversations/${setup.conversationId}/forms`, setup.agent.token, { templateId: 'card-payment' });
      expect(sent.status, JSON.stringify(sent.body)).toBe(201);
      const formId = sent.body.formId as string;
      const link = (await linksSentTo(world, setup.consumer, round + 1))[round]!;

      const page = await openFormLink(world, link);
      expect(page.status, `round ${round}: the form page`).toBe(200);
      const html = await page.text();
      expect((await call(world, 'GET', `/api/v1/forms/${formId}`, setup.agent.token)).body.status, `round ${round}: right after the page`).toBe('opened');

      const nameOnCard = `Round ${round} ${randomBytes(4).toString('hex')}`;
      const done = await postForm(world, formId, { key: hiddenKey(html), nameOnCard, ...card });
      expect(done.status, `round ${round}: the submission`).toBe(200);
      expect(await done.text()).toContain('Thank you');
      const status = await call(world, 'GET', `/api/v1/forms/${formId}`, setup.agent.token);
      expect(status.body, `round ${round}: right after "Thank you"`).toMatchObject({ status: 'submitted', submittedAt: expect.any(String) });
      const revealed = await reveal(setup.agent.token, formId);
      expect(revealed.status, `round ${round}: reveal right after "Thank you": ${JSON.stringify(revealed.body)}`).toBe(200);
      expect(Object.fromEntries((revealed.body.fields as { name: string; value: string }[]).map((f) => [f.name, f.value]))).toEqual({ nameOnCard, ...card });
      submittedFormIds.push(formId);
    }
  }, 120_000);

  it('the submission reaches Temporal as ids and field names only, never a value', async () => {
    expect(submittedFormIds.length).toBeGreaterThan(0);
    const { client } = world.system.services.temporal;
    const history = await client.workflow.getHandle(secureFormWorkflowId(submittedFormIds[0]!)).fetchHistory();
    const accepted = (history.events ?? []).flatMap((event) => (event.workflowExecutionUpdateAcceptedEventAttributes ? [event.workflowExecutionUpdateAcceptedEventAttributes] : []));
    expect(accepted.map((event) => event.acceptedRequest?.input?.name)).toEqual(['openForm', 'submitForm']);
    const [submitted] = (await decodeArrayFromPayloads(client.workflow.options.loadedDataConverter, accepted[1]!.acceptedRequest!.input!.args!.payloads)) as FormSubmitted[];
    expect(Object.keys(submitted!).sort()).toEqual(['at', 'fieldNames', 'offRecordExpiresAt', 'offRecordFields', 'offRecordHolder', 'vaultRecordId']);
    expect(submitted).toMatchObject({ fieldNames: ['nameOnCard', 'cardNumber', 'expiry', 'cvv'], offRecordFields: ['cvv'], offRecordHolder: world.system.services.offRecord.holder, vaultRecordId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
  });

  it('a history with the opening and submission updates replays deterministically', async () => {
    expect(submittedFormIds.length).toBeGreaterThan(0);
    const history = await world.system.services.temporal.client.workflow.getHandle(secureFormWorkflowId(submittedFormIds.at(-1)!)).fetchHistory();
    await Worker.runReplayHistory({ workflowBundle: { codePath: inject('workflowBundlePath') }, dataConverter: world.system.services.dataConverter }, history);
  });
});

describe("the form's workflow takes each step once, in order, before it expires", () => {
  const start = (options: { linkMs?: number; submitMs?: number } = {}) =>
    world.system.services.temporal.client.workflow.start<typeof secureFormWorkflow>('secureFormWorkflow', {
      workflowId: secureFormWorkflowId(`rules-${randomUUID()}`),
      taskQueue: world.system.settings.temporal.taskQueue,
      // No form document behind it: recording a step finds nothing to change, which is all these rules need.
      args: [{
        formId: randomUUID(), brandId: world.brandId, conversationId: 'none', agentId: 'none', title: 'Rules',
        linkExpiresAt: new Date(Date.now() + (options.linkMs ?? 600_000)).toISOString(), submitTtlMs: options.submitMs ?? 600_000,
      }],
    });
  const now = () => new Date().toISOString();
  // An off-the-record answer keeps the workflow running (its countdown) after the submission.
  const submission = (): FormSubmitted => ({
    vaultRecordId: randomUUID(), fieldNames: ['name', 'pin'], offRecordFields: ['pin'], offRecordExpiresAt: new Date(Date.now() + 600_000).toISOString(), at: now(),
  });
  /** The reason the workflow gave for refusing the update (the ApplicationFailure's type). */
  const refusal = (update: Promise<unknown>) =>
    update.then(
      () => 'accepted',
      (error: unknown) => (error instanceof WorkflowUpdateFailedError ? (error.cause as { type?: string }).type : error instanceof WorkflowNotFoundError ? 'workflow over' : String(error)),
    );
  const open = (handle: WorkflowHandle) => handle.executeUpdate(formOpenedUpdate, { args: [{ at: now() }] });
  const submit = (handle: WorkflowHandle) => handle.executeUpdate(formSubmittedUpdate, { args: [submission()] });

  it('refuses a submission before the opening, a second opening and a second submission', async () => {
    const handle = await start();
    expect(await refusal(submit(handle))).toBe('FormNotOpened');
    expect(await open(handle)).toMatchObject({ status: 'opened' });
    expect(await refusal(open(handle))).toBe('FormAlreadyOpened');
    expect(await submit(handle)).toMatchObject({ status: 'submitted' });
    expect(await refusal(submit(handle))).toBe('FormAlreadySubmitted');
    expect(await handle.query(secureFormStateQuery)).toMatchObject({ status: 'submitted' });
    await handle.terminate('done checking');
  });

  it('refuses malformed steps with a clear reason', async () => {
    const handle = await start();
    const rejected = await handle.executeUpdate(formOpenedUpdate, { args: [{ at: 'yesterday' }] }).catch((error: unknown) => error);
    expect(rejected).toBeInstanceOf(WorkflowUpdateFailedError);
    expect((rejected as WorkflowUpdateFailedError).cause).toMatchObject({ type: 'InvalidFormEvent', message: expect.stringMatching(/"at"/) });
    expect(await handle.query(secureFormStateQuery)).toMatchObject({ status: 'sent' });
    await handle.terminate('done checking');
  });

  it('refuses opening once the link expired, and submitting once the time to submit ran out', async () => {
    const unopened = await start({ linkMs: 1_000 });
    const opened = await start({ submitMs: 1_000 });
    expect(await open(opened)).toMatchObject({ status: 'opened' });
    await expect.poll(async () => (await unopened.describe()).status.name, { timeout: 15_000 }).toBe('COMPLETED');
    await expect.poll(async () => (await opened.describe()).status.name, { timeout: 15_000 }).toBe('COMPLETED');
    expect(await unopened.result()).toMatchObject({ status: 'expired' });
    expect(await opened.result()).toMatchObject({ status: 'expired' });
    expect(await refusal(open(unopened))).toBe('workflow over');
    expect(await refusal(submit(opened))).toBe('workflow over');
  });
});

describe('a submission the workflow refuses', () => {
  it('shows the visitor the usual "can no longer be used" page and keeps nothing readable', async () => {
    const setup = await conversationWithAgent(world);
    const sent = await call(world, 'POST', `/api/v1/conversations/${setup.conversationId}/forms`, setup.agent.token, { templateId: 'card-payment' });
    const formId = sent.body.formId as string;
    const page = await (await openFormLink(world, (await linksSentTo(world, setup.consumer, 1))[0]!)).text();
    // The form's workflow is over before the visitor submits (as after an expiry).
    await world.system.services.temporal.client.workflow.getHandle(secureFormWorkflowId(formId)).terminate('the form is over');

    const refused = await postForm(world, formId, { key: hiddenKey(page), nameOnCard: 'Too Late', ...card });
    expect(refused.status).toBe(410);
    expect(refused.headers.get('cache-control')).toBe('no-store');
    const html = await refused.text();
    expect(html).toContain(sameAsToday);
    expect(html).not.toContain('Thank you');
    expect((await call(world, 'GET', `/api/v1/forms/${formId}`, setup.agent.token)).body.status).toBe('opened');
    expect((await reveal(setup.agent.token, formId)).body.error.code).toBe('not_submitted');
    expect(world.system.services.offRecord.store.get(formId)).toBeUndefined();
    const vault = world.system.services.database.client.db(world.system.settings.mongo.vaultDbName).collection('vault_records');
    const records = await vault.find({ formId }).toArray();
    expect(records).toHaveLength(1);
    for (const record of records) {
      expect(record.wrappedKey, 'the vault record is crypto-shredded').toBeUndefined();
      expect(record.fields).toEqual({});
    }
  });

  it('and a link opened after the workflow is over shows the same page', async () => {
    const setup = await conversationWithAgent(world);
    const sent = await call(world, 'POST', `/api/v1/conversations/${setup.conversationId}/forms`, setup.agent.token, { templateId: 'card-payment' });
    await world.system.services.temporal.client.workflow.getHandle(secureFormWorkflowId(sent.body.formId)).terminate('the form is over');
    const opened = await openFormLink(world, (await linksSentTo(world, setup.consumer, 1))[0]!);
    expect(opened.status).toBe(410);
    expect(await opened.text()).toContain(sameAsToday);
  });
});
