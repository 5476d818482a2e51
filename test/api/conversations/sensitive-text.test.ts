/**
 * Card numbers and SSN-like values never reach a transcript or Temporal
 * history: consumers' are masked on the way in (whatever the separators or
 * digit width), agents' text holding one is refused with 422 before anything
 * is recorded. Canary card numbers are random and Luhn-valid, so a match can
 * only come from this test.
 */
import { randomInt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeArrayFromPayloads } from '@temporalio/common/lib/internal-non-workflow/index.js';
import { call, inboundSms, listConversations, startConnectorWorld, transcript, type ConnectorWorld } from '../../support/connectors.js';
import { waitFor } from '../../support/wait-for.js';

let world: ConnectorWorld;
beforeAll(async () => {
  world = await startConnectorWorld();
}, 60_000);
afterAll(() => world?.stop());

let phone = 0;

/** A new consumer texts `body`; the id of their conversation once its first message is in the transcript. */
async function conversationStartedWith(body: string): Promise<string> {
  const from = `+1415556${String(1000 + ++phone).padStart(4, '0')}`;
  const before = new Set((await listConversations(world)).map((conversation) => conversation.id));
  expect((await inboundSms(world, { from, body })).status).toBe(200);
  const [created] = await waitFor(async () => (await listConversations(world)).filter((conversation) => !before.has(conversation.id)), (list) => list.length === 1);
  await waitFor(() => transcript(world, created!.id), (messages) => messages.length === 1);
  return created!.id;
}

/** A random 16-digit Visa-like number with a valid Luhn check digit. */
function canaryCard(): string {
  const body = `4${Array.from({ length: 14 }, () => randomInt(10)).join('')}`;
  for (let check = 0; check < 10; check++) {
    const digits = `${body}${check}`;
    let sum = 0;
    for (let i = 0; i < 16; i++) {
      let digit = Number(digits[15 - i]);
      if (i % 2 === 1) digit = digit * 2 > 9 ? digit * 2 - 9 : digit * 2;
      sum += digit;
    }
    if (sum % 10 === 0) return digits;
  }
  throw new Error('unreachable');
}

const fullWidth = (text: string) => text.replace(/[0-9]/g, (digit) => String.fromCharCode(0xff10 + Number(digit)));
const groups = (card: string, separator: string) => card.match(/.{4}/g)!.join(separator);
/** What must appear nowhere: the digits before the last four, ASCII and full-width. */
const hidden = (card: string) => [card.slice(0, 12), fullWidth(card.slice(0, 12)), groups(card, ' ').slice(0, 9)];

/** The conversation workflow's whole history, every payload decoded through the codec (so encryption cannot hide a leak). */
async function decodedHistory(conversationId: string): Promise<string> {
  const { client } = world.system.services.temporal;
  const doc = await world.system.services.database.db.collection('conversations').findOne({ _id: conversationId as never });
  const history = await client.workflow.getHandle(doc!.workflowId as string).fetchHistory();
  const converter = client.options.loadedDataConverter;
  const decoded: unknown[] = [];
  const walk = async (node: unknown): Promise<void> => {
    if (!node || typeof node !== 'object') return;
    if ('data' in node && 'metadata' in node) {
      decoded.push(await decodeArrayFromPayloads(converter, [node as never]).catch(() => '[undecodable]'));
      return;
    }
    for (const value of Object.values(node)) await walk(value);
  };
  await walk(history);
  return JSON.stringify(decoded);
}

describe('consumer text is masked on the way in', () => {
  it('card numbers with dots, several spaces, mixed separators or full-width digits, and dotted SSNs, reach neither transcript nor history', async () => {
    const cards = [canaryCard(), canaryCard(), canaryCard(), canaryCard()];
    const body = [
      `dots ${groups(cards[0]!, '.')}`,
      `spaces ${groups(cards[1]!, '   ')}`,
      `mixed ${cards[2]!.slice(0, 4)}-${cards[2]!.slice(4, 8)} ${cards[2]!.slice(8, 12)}.${cards[2]!.slice(12)}`,
      `wide ${fullWidth(cards[3]!)}`,
      'ssn 078.05.1120',
    ].join(', ');
    const conversationId = await conversationStartedWith(body);
    const texts = (await transcript(world, conversationId)).map((message) => message.text ?? '');
    expect(texts).toEqual([
      `dots ****.****.****.${cards[0]!.slice(12)}, spaces ****   ****   ****   ${cards[1]!.slice(12)}, mixed ****-**** ****.${cards[2]!.slice(12)}, ` +
        `wide ************${fullWidth(cards[3]!.slice(12))}, ssn ***.**.****`,
    ]);
    const history = await decodedHistory(conversationId);
    expect(history).toContain('****.****.****.');
    for (const card of cards) for (const needle of hidden(card)) expect(history, needle).not.toContain(needle);
    expect(history).not.toContain('078.05.1120');
  });
});

describe('agent text holding a card number or SSN is refused', () => {
  let conversationId = '';
  const card = canaryCard();
  beforeAll(async () => {
    conversationId = await conversationStartedWith('I need help with my order');
  }, 30_000);

  it('a reply: 422 sensitive_data_in_text, naming the kind of value but never the value', async () => {
    const refused = await call(world, 'POST', `/api/v1/conversations/${conversationId}/replies`, world.apiToken, { text: `Your card ${groups(card, ' ')} is updated` });
    expect(refused.status).toBe(422);
    expect(refused.body.error).toMatchObject({ code: 'sensitive_data_in_text', message: expect.stringMatching(/card number/) });
    expect(JSON.stringify(refused.body)).not.toContain(card.slice(0, 12));
    const wide = await call(world, 'POST', `/api/v1/conversations/${conversationId}/replies`, world.apiToken, { text: `card ${fullWidth(groups(card, '.'))}` });
    expect(wide.status).toBe(422);
  });

  it('a transfer note and a close reason: 422, and the conversation stays where it was', async () => {
    const transfer = await call(world, 'POST', `/api/v1/conversations/${conversationId}/transfer`, world.apiToken, { toQueueId: 'sales', note: 'her SSN is 078-05-1120' });
    expect(transfer.status).toBe(422);
    expect(transfer.body.error).toMatchObject({ code: 'sensitive_data_in_text', message: expect.stringMatching(/Social Security number/) });
    const close = await call(world, 'POST', `/api/v1/conversations/${conversationId}/close`, world.apiToken, { reason: `paid with ${card}` });
    expect(close.status).toBe(422);
    expect((await call(world, 'GET', `/api/v1/conversations/${conversationId}`, world.apiToken)).body.status).toBe('open');
  });

  it('nothing refused is in the transcript or the Temporal history; ordinary numbers still go out', async () => {
    const ordinary = await call(world, 'POST', `/api/v1/conversations/${conversationId}/replies`, world.apiToken, {
      text: 'Order 4111111111111112 ships today; call +14155550123 or +4479111234565 with questions.',
    });
    expect(ordinary.status, JSON.stringify(ordinary.body)).toBe(202);
    const messages = await waitFor(() => transcript(world, conversationId), (list) => list.some((message) => message.id === ordinary.body.messageId));
    expect(messages.map((message) => message.text)).toEqual(['I need help with my order', 'Order 4111111111111112 ships today; call +14155550123 or +4479111234565 with questions.']);
    const history = await decodedHistory(conversationId);
    expect(history).toContain('Order 4111111111111112');
    for (const needle of [...hidden(card), '078-05-1120']) expect(history, needle).not.toContain(needle);
  });
});
