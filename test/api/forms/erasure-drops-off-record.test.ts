/**
 * Off-the-record answers (the CVV) live in the API process's memory for a few
 * minutes. Erasing a consumer must drop theirs at once, not when the timer
 * runs out, and leave other consumers' alone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startConnectorWorld, type ConnectorWorld } from '../../support/connectors.js';
import { conversationWithAgent, hiddenKey, linkSentTo, openFormLink, postForm } from '../../support/secure-forms.js';
import { testAdminToken } from '../../support/settings.js';

let world: ConnectorWorld;
beforeAll(async () => {
  // Far longer than the test: only the erasure can make the answers go.
  world = await startConnectorWorld({ env: { OFF_RECORD_TTL_SECONDS: '3600' } });
}, 60_000);
afterAll(() => world?.stop());

/** A consumer who submitted the card form: the form id and the consumer's number. */
async function submittedCardForm(cvv: string) {
  const setup = await conversationWithAgent(world);
  const sent = await call(world, 'POST', `/api/v1/conversations/${setup.conversationId}/forms`, setup.agent.token, { templateId: 'card-payment' });
  const page = await (await openFormLink(world, await linkSentTo(world, setup.consumer))).text();
  const done = await postForm(world, sent.body.formId, { key: hiddenKey(page), nameOnCard: 'Erin Erased', cardNumber: '4111111111111111', expiry: '12/39', cvv });
  expect(done.status).toBe(200);
  return { formId: sent.body.formId as string, consumer: setup.consumer };
}

describe('erasing a consumer', () => {
  it('drops the off-the-record answers of their forms at once, and only theirs', async () => {
    const erased = await submittedCardForm('731');
    const kept = await submittedCardForm('842');
    const offRecord = world.system.services.offRecord.store;
    expect(offRecord.get(erased.formId)).toEqual({ cvv: '731' });

    const answer = await call(world, 'POST', `/api/v1/admin/brands/${world.brandId}/privacy/erasure`, testAdminToken, { channel: 'sms', address: erased.consumer });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(answer.body.secureForms).toBe(1);
    expect(offRecord.get(erased.formId)).toBeUndefined();
    expect(offRecord.get(kept.formId)).toEqual({ cvv: '842' });
  });
});
