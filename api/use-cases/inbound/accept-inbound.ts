import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import type { DeliveryStatusInput } from '../../../activities/conversations/record-delivery-status.js';
import { consumerPseudonym } from '../../../crypto/pseudonym.js';
import type { ResolvedEntryPoint } from '../../../db/repositories/channel-directory.js';
import { conversationWorkflowId, messageStatusWorkflowId } from '../../../temporal/workflow-ids.js';
import { inboundMessageSignal, type InboundMessage } from '../../../workflows/conversation/definitions.js';
import type { conversationWorkflow } from '../../../workflows/conversation/workflow.js';
import type { messageStatusWorkflow } from '../../../workflows/message-status.js';

export interface InboundDependencies {
  client: Client;
  taskQueue: string;
  pseudonymKey: Buffer;
  defaultInactivityTimeoutMs: number;
  reopenWindowMs: number;
}

/** Providers give up on a webhook after ~15 s: answer 503 well before, so they retry. */
const ACK_DEADLINE_MS = 8_000;
const withAckDeadline = <T>(client: Client, call: () => Promise<T>) => client.connection.withDeadline(Date.now() + ACK_DEADLINE_MS, call);

export const channelTypeOf = (resolved: ResolvedEntryPoint) => (resolved.channel.kind === 'twilio' ? 'sms' : 'messenger');

export function conversationWorkflowIdFor(deps: Pick<InboundDependencies, 'pseudonymKey'>, resolved: ResolvedEntryPoint, consumerAddress: string) {
  const pseudonym = consumerPseudonym(deps.pseudonymKey, { brandId: resolved.brand._id, channel: channelTypeOf(resolved), address: consumerAddress });
  return { pseudonym, workflowId: conversationWorkflowId({ brandId: resolved.brand._id, entryPointId: resolved.entryPoint._id, consumerPseudonym: pseudonym }) };
}

/**
 * The whole ack path of an inbound message: one signalWithStart. When it
 * returns, Temporal holds the event durably; when it throws, the webhook
 * answers 503 and the provider delivers again.
 */
export async function acceptInboundMessage(
  deps: InboundDependencies,
  input: { resolved: ResolvedEntryPoint; consumerAddress: string; message: InboundMessage },
): Promise<string> {
  const { resolved } = input;
  const { pseudonym, workflowId } = conversationWorkflowIdFor(deps, resolved, input.consumerAddress);
  await withAckDeadline(deps.client, () => deps.client.workflow.signalWithStart<typeof conversationWorkflow, [InboundMessage]>('conversationWorkflow', {
    workflowId,
    taskQueue: deps.taskQueue,
    signal: inboundMessageSignal,
    signalArgs: [input.message],
    args: [
      {
        brandId: resolved.brand._id,
        channel: channelTypeOf(resolved),
        channelId: resolved.channel._id,
        entryPointId: resolved.entryPoint._id,
        queueId: resolved.entryPoint.queueId,
        consumer: { address: input.consumerAddress, pseudonym },
        inactivityTimeoutMs: resolved.brand.inactivityTimeoutMinutes
          ? resolved.brand.inactivityTimeoutMinutes * 60_000
          : deps.defaultInactivityTimeoutMs,
        helpText: resolved.brand.helpText,
        reopenWindowMs: deps.reopenWindowMs,
      },
    ],
  }));
  return workflowId;
}

/** A provider status event, made durable as a workflow named after the event (redeliveries collide). */
export async function acceptStatusEvent(
  deps: Pick<InboundDependencies, 'client' | 'taskQueue'>,
  input: { event: DeliveryStatusInput; eventKey: string },
): Promise<void> {
  try {
    await withAckDeadline(deps.client, () => deps.client.workflow.start<typeof messageStatusWorkflow>('messageStatusWorkflow', {
      workflowId: messageStatusWorkflowId({ provider: input.event.provider, eventKey: input.eventKey, status: input.event.status }),
      taskQueue: deps.taskQueue,
      args: [input.event],
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      workflowIdConflictPolicy: 'USE_EXISTING',
    }));
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
  }
}
