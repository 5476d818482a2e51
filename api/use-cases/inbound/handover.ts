import { isGrpcServiceError, WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import type { DeliveryStatusInput } from '../../../workflows/message-status.js';
import { inboundMessageSignal, type ConversationInput, type InboundMessage } from '../../../workflows/conversation/definitions.js';
import type { conversationWorkflow } from '../../../workflows/conversation/workflow.js';
import type { messageStatusWorkflow } from '../../../workflows/message-status.js';

/**
 * One provider event as Temporal must receive it. `workflowId` is the workflow it goes to, and
 * the key that keeps arrival order: events of one workflow are handed over one after another.
 */
export type Handover =
  | { kind: 'message'; workflowId: string; message: InboundMessage; input: ConversationInput }
  | { kind: 'status'; workflowId: string; event: DeliveryStatusInput };

export interface TemporalTarget {
  client: Client;
  taskQueue: string;
}

/**
 * Gives one event to Temporal: signalWithStart of the conversation (which ignores a provider
 * message id it already has), or the start of a status workflow named after the event (a second
 * start finds the first). Either way handing the same event over twice changes nothing.
 */
export async function handOver(target: TemporalTarget, handover: Handover, deadlineMs: number): Promise<void> {
  const { client, taskQueue } = target;
  await client.connection.withDeadline(Date.now() + deadlineMs, async () => {
    if (handover.kind === 'message') {
      await client.workflow.signalWithStart<typeof conversationWorkflow, [InboundMessage]>('conversationWorkflow', {
        workflowId: handover.workflowId,
        taskQueue,
        signal: inboundMessageSignal,
        signalArgs: [handover.message],
        args: [handover.input],
      });
      return;
    }
    try {
      await client.workflow.start<typeof messageStatusWorkflow>('messageStatusWorkflow', {
        workflowId: handover.workflowId,
        taskQueue,
        args: [handover.event],
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
        workflowIdConflictPolicy: 'USE_EXISTING',
      });
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    }
  });
}

const DEADLINE_EXCEEDED = 4;
const RESOURCE_EXHAUSTED = 8;
const UNAVAILABLE = 14;
const unreachableCodes = new Set([DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED, UNAVAILABLE]);

/** Whether an error says Temporal could not be reached (as opposed to refusing this one event). */
export function isTemporalUnreachable(error: unknown): boolean {
  for (let cause = error, depth = 0; cause && depth < 5; cause = (cause as { cause?: unknown }).cause, depth++) {
    if (isGrpcServiceError(cause) && unreachableCodes.has(cause.code)) return true;
  }
  return false;
}

/** What a log line may say about an error: its type and gRPC code, never its message (it may quote input). */
export function describeError(error: unknown): string {
  const name = error instanceof Error ? error.name : typeof error;
  const cause = (error as { cause?: unknown } | undefined)?.cause;
  const code = isGrpcServiceError(cause) ? cause.code : isGrpcServiceError(error) ? error.code : undefined;
  return code === undefined ? name : `${name} (gRPC ${code})`;
}
