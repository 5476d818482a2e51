import { ActivityFailure, ApplicationFailure, condition, setHandler, upsertSearchAttributes, uuid4 } from '@temporalio/workflow';
import type { ConversationActivities } from '../../activities/conversations/index.js';
import type { RoutingActivities } from '../../activities/routing/index.js';
import { SearchAttributes } from '../../temporal/search-attributes.js';
import {
  acceptConversationUpdate, assignedSignal, closeUpdate, maxTextLength, RejectionType, reopenUpdate, replyUpdate, transferUpdate,
  type ConversationRef, type ReplyInput, type TransferInput,
} from './definitions.js';
import { messengerWindow } from './messaging-window.js';
import { snapshot, trackOutbound, type WorkingState } from './state.js';

export interface ActionContext {
  ref: ConversationRef;
  state: WorkingState;
  records: Pick<ConversationActivities, 'recordOutboundMessage' | 'recordNote'>;
  routing: RoutingActivities;
  serial: <T>(step: () => Promise<T>) => Promise<T>;
  recordSerially: <T>(step: () => Promise<T>) => Promise<T>;
  touch: () => void;
}

export const reject = (message: string, type: string) => ApplicationFailure.nonRetryable(message, type);

/** Agent actions on the conversation: validated updates that answer once their effect is recorded. */
export function registerAgentActions(ctx: ActionContext): void {
  const { ref, state } = ctx;
  const now = () => new Date().toISOString();
  // Open from the first message on, even before it is recorded: the API may already list the conversation.
  const isOpen = () => state.phase === 'open';
  const assertOpen = (conversationId: string) => {
    if (conversationId !== ref.conversationId || !isOpen()) throw reject('This conversation is closed', RejectionType.conversationClosed);
  };
  const changeKey = (kind: string) => `${ref.conversationId}:${kind}:${uuid4()}`;

  setHandler(
    replyUpdate,
    async (reply: ReplyInput) => {
      try {
        await ctx.recordSerially(() => ctx.records.recordOutboundMessage({ conversation: ref, messageId: reply.messageId, text: reply.text, agentId: reply.agentId, kind: 'agent' }));
      } catch (error) {
        const cause = error instanceof ActivityFailure ? error.cause : error;
        if (cause instanceof ApplicationFailure && cause.type === 'InvalidRecord') throw reject('Another message already has this id', RejectionType.messageIdTaken);
        throw error;
      }
      // Queued even if the conversation closed meanwhile: a reply answered 202 is always delivered (or fails visibly).
      state.outbox.push({ messageId: reply.messageId, conversationId: ref.conversationId, attempts: 0 });
      trackOutbound(state, reply.messageId, 'pending');
      ctx.touch();
      if (reply.agentId) upsertSearchAttributes([{ key: SearchAttributes.AgentId, value: reply.agentId }]);
      return { messageId: reply.messageId, status: 'pending' as const };
    },
    {
      validator: (reply: ReplyInput) => {
        assertOpen(reply.conversationId);
        const text = reply.text?.trim() ?? '';
        if (!text) throw reject('A reply needs text', RejectionType.invalidReply);
        if (text.length > maxTextLength[ref.channel]) throw reject(`A ${ref.channel} reply is at most ${maxTextLength[ref.channel]} characters`, RejectionType.invalidReply);
        if (state.recentOutbound.some((item) => item.messageId === reply.messageId)) {
          throw reject('A message with this id was already sent in this conversation', RejectionType.invalidReply);
        }
        if (ref.channel === 'sms' && state.optedOut) {
          throw reject('The consumer opted out (STOP) of messages from this number; they must text START first', RejectionType.optedOut);
        }
        if (ref.channel === 'messenger') {
          const window = messengerWindow(state.lastInboundAt, new Date());
          if (!window.allowed) throw reject(window.reason, RejectionType.outsideWindow);
        }
      },
    },
  );

  setHandler(
    closeUpdate,
    async (close) => {
      // The control loop records the close; answering after it means the next read shows it closed.
      state.phase = 'closing';
      state.closeRequest = { reason: close.reason ?? 'closed_by_agent', closedBy: close.closedBy };
      await condition(() => state.phase !== 'closing');
      return snapshot(ref, state);
    },
    { validator: (close) => assertOpen(close.conversationId) },
  );

  setHandler(
    transferUpdate,
    (transfer: TransferInput) =>
      ctx.serial(async () => {
        assertOpen(transfer.conversationId);
        const fromAgentId = state.agentId;
        const noteMessageId = transfer.note ? `msg_${uuid4()}` : undefined;
        if (transfer.note && noteMessageId) {
          await ctx.records.recordNote({ conversation: ref, messageId: noteMessageId, text: transfer.note, agentId: transfer.byAgentId });
        }
        if (transfer.toAgentId) {
          state.agentId = transfer.toAgentId;
          await ctx.routing.notifyRouter({ brandId: ref.brandId, notice: { kind: 'held', conversationId: ref.conversationId, agentId: transfer.toAgentId } });
        } else {
          ref.queueId = transfer.toQueueId!;
          state.agentId = undefined;
          upsertSearchAttributes([{ key: SearchAttributes.QueueId, value: ref.queueId }]);
          await ctx.routing.notifyRouter({
            brandId: ref.brandId,
            notice: { kind: 'waiting', item: { conversationId: ref.conversationId, workflowId: ref.workflowId, queueId: ref.queueId, arrivedAt: now() } },
          });
        }
        await ctx.routing.recordConversationChange({
          conversation: ref,
          change: { kind: 'transferred', fromAgentId, toAgentId: transfer.toAgentId, toQueueId: transfer.toQueueId, byAgentId: transfer.byAgentId, noteMessageId },
          key: changeKey('transferred'),
          at: now(),
        });
        if (state.agentId) upsertSearchAttributes([{ key: SearchAttributes.AgentId, value: state.agentId }]);
        return snapshot(ref, state);
      }),
    {
      validator: (transfer: TransferInput) => {
        assertOpen(transfer.conversationId);
        if (!transfer.toAgentId === !transfer.toQueueId) throw reject('Transfer to one agent or one queue', RejectionType.invalidTransfer);
        if (transfer.toAgentId && transfer.toAgentId === state.agentId) throw reject('The conversation is already with this agent', RejectionType.invalidTransfer);
        if (transfer.toQueueId && transfer.toQueueId === ref.queueId && !state.agentId) {
          throw reject('The conversation is already waiting in this queue', RejectionType.invalidTransfer);
        }
      },
    },
  );

  setHandler(
    reopenUpdate,
    async (reopen) => {
      // The control loop reopens (after a close still being recorded): one place decides between reopen and next conversation.
      state.reopenRequest ??= reopen;
      await condition(() => state.reopenRequest === undefined);
      if (state.phase !== 'open') throw reject('This conversation can no longer be reopened: its reopen window has passed', RejectionType.notReopenable);
      return snapshot(ref, state);
    },
    {
      validator: (reopen) => {
        const canReopen = state.phase === 'closing' || (state.phase === 'closed' && state.reopenable);
        if (reopen.conversationId !== ref.conversationId || !canReopen) {
          throw reject('This conversation can no longer be reopened: its reopen window has passed', RejectionType.notReopenable);
        }
      },
    },
  );

  setHandler(
    acceptConversationUpdate,
    (accept) =>
      ctx.serial(async () => {
        assertOpen(accept.conversationId);
        if (state.agentId === accept.agentId) return { agentId: accept.agentId };
        try {
          // The router is the single writer of assignments: it refuses if someone was faster or the agent is not eligible.
          await ctx.routing.claimAtRouter({ brandId: ref.brandId, conversationId: ref.conversationId, agentId: accept.agentId });
        } catch (error) {
          const cause = error instanceof ActivityFailure ? error.cause : error;
          if (cause instanceof ApplicationFailure && cause.type) throw reject(cause.message, cause.type);
          throw error;
        }
        state.agentId = accept.agentId;
        upsertSearchAttributes([{ key: SearchAttributes.AgentId, value: accept.agentId }]);
        await ctx.routing.recordConversationChange({
          conversation: ref, change: { kind: 'assigned', agentId: accept.agentId, by: 'accept' }, key: changeKey('assigned'), at: now(),
        });
        return { agentId: accept.agentId };
      }),
    { validator: (accept) => assertOpen(accept.conversationId) },
  );

  setHandler(assignedSignal, async (assigned) => {
    if (assigned.conversationId === ref.conversationId && isOpen()) {
      state.agentId = assigned.agentId;
      state.pendingChanges.push({ kind: 'assigned', agentId: assigned.agentId, by: assigned.by });
      return;
    }
    // Too late (closed, or an earlier conversation of this consumer): the router must not count it.
    await ctx.routing.notifyRouter({ brandId: ref.brandId, notice: { kind: 'released', conversationId: assigned.conversationId } });
  });
}
