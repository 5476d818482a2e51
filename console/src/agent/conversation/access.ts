import type { Conversation, Permission } from '../../api/types';

/** What this user may do with this conversation now, from their permissions and its state. */
export interface Access {
  mine: boolean;
  /** Act on it (reply, transfer, close, reopen): its agent, or anyone who sees every conversation. */
  canAct: boolean;
  canAccept: boolean;
  canTransfer: boolean;
  canClose: boolean;
  canReopen: boolean;
  canReply: boolean;
  canSendForms: boolean;
}

export function accessTo(conversation: Conversation, meId: string, can: (permission: Permission) => boolean): Access {
  const open = conversation.status === 'open';
  const mine = conversation.agentId === meId;
  const canAct = mine || can('conversation.viewAll');
  return {
    mine,
    canAct,
    canAccept: open && !conversation.agentId && can('conversation.accept'),
    canTransfer: open && canAct && can('conversation.transfer'),
    canClose: open && canAct && can('conversation.close'),
    canReopen: !open && canAct && can('conversation.reopen'),
    canReply: can('conversation.reply'),
    canSendForms: mine && open && can('secureForm.use'),
  };
}
