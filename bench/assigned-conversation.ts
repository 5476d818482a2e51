import type { BenchAgent } from './agents.js';
import type { MessageWatch } from './message-watch.js';
import { sleep } from './stats.js';
import { consumerNumber, sendInboundSms } from './webhook.js';
import { callApi, type BenchWorld } from './world.js';

export interface AssignedConversation {
  conversationId: string;
  consumer: string;
}

/** A consumer writes in; the agent accepts the conversation from the queue (retrying until the router has queued it). */
export async function assignedConversation(world: BenchWorld, watch: MessageWatch, agent: BenchAgent, consumerIndex: number): Promise<AssignedConversation> {
  const consumer = consumerNumber(202, consumerIndex);
  const sent = await sendInboundSms(world, consumer, 'I would like to pay my bill');
  const arrival = await watch.waitFor(sent.messageId, 30_000);
  if (!arrival) throw new Error('the conversation to accept never showed up on the agent stream');
  const deadline = performance.now() + 30_000;
  for (;;) {
    const accepted = await callApi(world, 'POST', `/api/v1/conversations/${arrival.conversationId}/accept`, agent.token);
    if (accepted.status === 200) return { conversationId: arrival.conversationId, consumer };
    if (performance.now() > deadline) throw new Error(`could not accept the conversation: ${accepted.status} ${JSON.stringify(accepted.body)}`);
    await sleep(100);
  }
}
