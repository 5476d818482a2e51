import type { DeliveryStatusInput } from '../../../workflows/message-status.js';
import { consumerPseudonym } from '../../../crypto/pseudonym.js';
import type { ResolvedEntryPoint } from '../../../db/repositories/channel-directory.js';
import { conversationWorkflowId, messageStatusWorkflowId } from '../../../temporal/workflow-ids.js';
import type { InboundMessage } from '../../../workflows/conversation/definitions.js';
import { channelTypeOf, conversationInputFor, type ConversationInputSettings } from './conversation-input.js';
import type { DurableIntake, Receipt } from './durable-intake.js';

export { channelTypeOf };

export interface InboundDependencies extends ConversationInputSettings {
  pseudonymKey: Buffer;
  /** Journal first, Temporal directly when the database is down (see DurableIntake). */
  intake: DurableIntake;
}

export function conversationWorkflowIdFor(deps: Pick<InboundDependencies, 'pseudonymKey'>, resolved: ResolvedEntryPoint, consumerAddress: string) {
  const pseudonym = consumerPseudonym(deps.pseudonymKey, { brandId: resolved.brand._id, channel: channelTypeOf(resolved), address: consumerAddress });
  return { pseudonym, workflowId: conversationWorkflowId({ brandId: resolved.brand._id, entryPointId: resolved.entryPoint._id, consumerPseudonym: pseudonym }) };
}

/**
 * Accepts one inbound message durably: once this returns, the journal (or Temporal) holds it and
 * the conversation workflow will receive it, after every earlier message of the same conversation.
 * Throws only when neither the database nor Temporal could take it (the webhook answers 503).
 */
export async function acceptInboundMessage(
  deps: InboundDependencies,
  input: { resolved: ResolvedEntryPoint; consumerAddress: string; message: InboundMessage },
): Promise<Receipt> {
  const { pseudonym, workflowId } = conversationWorkflowIdFor(deps, input.resolved, input.consumerAddress);
  return deps.intake.accept({
    kind: 'message',
    workflowId,
    message: input.message,
    input: conversationInputFor(deps, input.resolved, { address: input.consumerAddress, pseudonym }),
  });
}

/** A provider status event, for a workflow named after the event (redeliveries collide). */
export function acceptStatusEvent(deps: Pick<InboundDependencies, 'intake'>, input: { event: DeliveryStatusInput; eventKey: string }): Promise<Receipt> {
  const workflowId = messageStatusWorkflowId({ provider: input.event.provider, eventKey: input.eventKey, status: input.event.status });
  return deps.intake.accept({ kind: 'status', workflowId, event: input.event });
}

