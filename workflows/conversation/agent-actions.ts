import { ApplicationFailure, condition, patched, setHandler, upsertSearchAttributes, uuid4 } from '@temporalio/workflow';
import type { ConversationActivities } from '../../activities/conversations/index.js';
import type { RoutingActivities } from '../../activities/routing/index.js';
import { SearchAttributes } from '../../temporal/search-attributes.js';
import {
  assignedSignal, closeUpdate, maxTextLength, RejectionType, reopenUpdate, replyUpdate, transferUpdate,
  type ConversationRef, type ReplyInput, type TransferInput,
} from './definitions.js';
import { messengerWindow } from './messaging-window.js';
import { snapshot, trackOutbound, type WorkingState } from './state.js';

export interface ActionContext {
  ref: ConversationRef;
  state: WorkingState;
  records: Pick<ConversationActivities, 'recordOutboundMessage' | 'recordNote'>;
  routing: RoutingActivities;
  /** Whether this run records routing (false while replaying histories from before routing existed). */
  routingEnabled: () => boolean;
}

const reject = (message: string, type: string) => ApplicationFailure.nonRetryable(message, type);

/** Agent actions on the conversation: validated updates, and assignments from the router. */
export function registerAgentActions(ctx: ActionContext): void {
  const { ref, state } = ctx;
  const now = () => new Date().toISOString();
  const assertOpen = (conversationId: string) => {
    if (conversationId !== ref.conversationId || state.status !== 'open') throw reject('This conversation is closed', RejectionType.conversationClosed);
  };
  const change = (kind: string) => `${ref.conversationId}:${kind}:${uuid4()}`;

  setHandler(
    replyUpdate,
    async (reply: ReplyInput) => {
      await ctx.records.recordOutboundMessage({ conversation: ref, messageId: reply.messageId, text: reply.text, agentId: reply.agentId, kind: 'agent' });
      state.outbox.push({ messageId: reply.messageId, text: reply.text, kind: 'agent', agentId: reply.agentId });
      trackOutbound(state, reply.messageId, 'pending');
      state.lastActivityAt = now();
      // Added after histories were recorded: patched() keeps those replaying.
      if (reply.agentId && patched('agent-search-attribute')) upsertSearchAttributes([{ key: SearchAttributes.AgentId, value: reply.agentId }]);
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
    (close) => {
      state.status = 'closed';
      state.closing = true;
      state.closeReason = close.reason ?? 'closed_by_agent';
      state.closedBy = close.closedBy;
      return snapshot(ref, state);
    },
    { validator: (close) => assertOpen(close.conversationId) },
  );

  setHandler(
    transferUpdate,
    async (transfer: TransferInput) => {
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
      }
      if (transfer.toQueueId) {
        await ctx.routing.notifyRouter({
          brandId: ref.brandId,
          notice: { kind: 'waiting', item: { conversationId: ref.conversationId, workflowId: ref.workflowId, queueId: ref.queueId, arrivedAt: now() } },
        });
      }
      await ctx.routing.recordConversationChange({
        conversation: ref,
        change: { kind: 'transferred', fromAgentId, toAgentId: transfer.toAgentId, toQueueId: transfer.toQueueId, byAgentId: transfer.byAgentId, noteMessageId },
        key: change('transferred'),
        at: now(),
      });
      if (state.agentId) upsertSearchAttributes([{ key: SearchAttributes.AgentId, value: state.agentId }]);
      return snapshot(ref, state);
    },
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
      // Reopened while the close was still being recorded: let that finish first.
      await condition(() => !state.closing);
      state.status = 'open';
      state.reopenable = false;
      state.closeReason = undefined;
      state.closedBy = undefined;
      if (reopen.agentId) state.agentId = reopen.agentId;
      state.lastActivityAt = now();
      upsertSearchAttributes([{ key: SearchAttributes.ConversationState, value: 'open' }]);
      const notice = state.agentId
        ? { kind: 'held' as const, conversationId: ref.conversationId, agentId: state.agentId }
        : { kind: 'waiting' as const, item: { conversationId: ref.conversationId, workflowId: ref.workflowId, queueId: ref.queueId, arrivedAt: now() } };
      await ctx.routing.notifyRouter({ brandId: ref.brandId, notice });
      await ctx.routing.recordConversationChange({ conversation: ref, change: { kind: 'reopened', agentId: state.agentId }, key: change('reopened'), at: now() });
      return snapshot(ref, state);
    },
    {
      validator: (reopen) => {
        if (reopen.conversationId !== ref.conversationId || state.status !== 'closed' || !(state.reopenable || state.closing)) {
          throw reject('This conversation can no longer be reopened: its reopen window has passed', RejectionType.notReopenable);
        }
      },
    },
  );

  setHandler(assignedSignal, async (assigned) => {
    if (assigned.conversationId === ref.conversationId && state.status === 'open') {
      state.agentId = assigned.agentId;
      state.pendingChanges.push({ kind: 'assigned', agentId: assigned.agentId, by: assigned.by });
      return;
    }
    // Too late (closed, or an earlier conversation of this consumer): the router must not count it.
    if (ctx.routingEnabled()) await ctx.routing.notifyRouter({ brandId: ref.brandId, notice: { kind: 'released', conversationId: assigned.conversationId } });
  });
}
