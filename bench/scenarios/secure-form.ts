import type { AssignedConversation } from '../assigned-conversation.js';
import type { BenchAgent } from '../agents.js';
import { scaled, type BenchOptions } from '../options.js';
import { deferred, summarize, type Latency } from '../stats.js';
import { callApi, onTwilioSend, type BenchWorld } from '../world.js';

export interface SecureFormRoundTrip {
  /** Send → link at the provider → open → submit → reveal, each step started as soon as the previous ended (no human time). */
  total: Latency;
  /** POST …/forms → the one-time link reached the Twilio stand-in. */
  sendToLink: Latency;
  /** GET of the link page + the POST of its "open" button. */
  open: Latency;
  /** The form's POST until its "thank you" (recorded). */
  submit: Latency;
  /** POST …/reveal-key + POST …/reveal until the values. */
  reveal: Latency;
}

const linkPattern = /\/forms\/[A-Za-z0-9_-]{43}/;
const hiddenKey = (html: string) => {
  const key = /name="key" value="([A-Za-z0-9_-]{43})"/.exec(html)?.[1];
  if (!key) throw new Error('no one-time key in the page');
  return key;
};

async function expectStatus(response: Response, status: number, what: string): Promise<string> {
  const text = await response.text();
  if (response.status !== status) throw new Error(`${what} answered ${response.status}: ${text.slice(0, 200)}`);
  return text;
}

/** The agent sends the card-payment form; the "visitor" opens and submits it at once; the agent reveals it. */
export async function secureFormRoundTrip(world: BenchWorld, agent: BenchAgent, conversation: AssignedConversation, options: BenchOptions): Promise<SecureFormRoundTrip> {
  const count = scaled(options, 10, 3);
  const samples = { total: [] as number[], sendToLink: [] as number[], open: [] as number[], submit: [] as number[], reveal: [] as number[] };
  let link: { resolve: () => void; path?: string; at?: number } | undefined;
  const stop = onTwilioSend(world.twilio, (message, at) => {
    const path = linkPattern.exec(message.body)?.[0];
    if (path && link && message.to === conversation.consumer) Object.assign(link, { path, at }).resolve();
  });
  try {
    for (let i = 0; i < count; i++) {
      const arrived = deferred(15_000);
      link = { resolve: arrived.resolve };
      const t0 = performance.now();
      const sent = await callApi(world, 'POST', `/api/v1/conversations/${conversation.conversationId}/forms`, agent.token, { templateId: 'card-payment' });
      if (sent.status !== 201) throw new Error(`sending the form answered ${sent.status}: ${JSON.stringify(sent.body)}`);
      const formId = sent.body.formId as string;
      await arrived.promise;
      if (!link.path || link.at === undefined) throw new Error('the form link never reached the Twilio stand-in');
      const t1 = link.at;

      const page = await expectStatus(await fetch(`${world.api}${link.path}`), 200, 'the link page');
      const action = /<form method="post" action="([^"]+)">/.exec(page)?.[1];
      if (!action) throw new Error('the link page has no "open" button');
      const formPage = await expectStatus(
        await fetch(`${world.api}${action}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ key: hiddenKey(page) }).toString() }),
        200, 'opening the form',
      );
      const t2 = performance.now();

      const fields = { key: hiddenKey(formPage), nameOnCard: 'Bench Holder', cardNumber: '4111111111111111', expiry: '12/39', cvv: '987' };
      await expectStatus(
        await fetch(`${world.api}/forms/${formId}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() }),
        200, 'submitting the form',
      );
      const t3 = performance.now();

      const issued = await callApi(world, 'POST', `/api/v1/forms/${formId}/reveal-key`, agent.token);
      if (issued.status !== 201) throw new Error(`reveal-key answered ${issued.status}: ${JSON.stringify(issued.body)}`);
      const revealed = await callApi(world, 'POST', `/api/v1/forms/${formId}/reveal`, agent.token, { key: issued.body.key });
      if (revealed.status !== 200) throw new Error(`reveal answered ${revealed.status}: ${JSON.stringify(revealed.body)}`);
      const t4 = performance.now();

      samples.total.push(t4 - t0);
      samples.sendToLink.push(t1 - t0);
      samples.open.push(t2 - t1);
      samples.submit.push(t3 - t2);
      samples.reveal.push(t4 - t3);
    }
  } finally {
    stop();
  }
  return {
    total: summarize(samples.total),
    sendToLink: summarize(samples.sendToLink),
    open: summarize(samples.open),
    submit: summarize(samples.submit),
    reveal: summarize(samples.reveal),
  };
}
