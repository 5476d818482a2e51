import { forgetOnSignOut } from '../../session/memory';

/**
 * Reply drafts, one per conversation, in memory only: they may hold personal data, so never storage.
 * A draft remembers the messageId of its last send attempt, so sending the same text again (after a
 * timeout or a lost answer) reuses it and the server sends the reply once.
 */
interface Draft {
  text: string;
  messageId?: string;
}

const drafts = new Map<string, Draft>();
forgetOnSignOut(() => drafts.clear());

export function readDraft(conversationId: string): string {
  return drafts.get(conversationId)?.text ?? '';
}

export function writeDraft(conversationId: string, text: string): void {
  if (!text) {
    drafts.delete(conversationId);
    return;
  }
  const before = drafts.get(conversationId);
  // A changed text is a different reply: it gets a new messageId when sent.
  drafts.set(conversationId, before?.text === text ? before : { text });
}

/** The idempotency id of a send of `text` in this conversation: the same until the text changes. */
export function messageIdFor(conversationId: string, text: string): string {
  const draft = drafts.get(conversationId);
  if (draft?.text === text && draft.messageId) return draft.messageId;
  const messageId = `msg_${newUuid()}`;
  drafts.set(conversationId, { text, messageId });
  return messageId;
}

/** After a 202: forgets the draft, unless the agent has typed something else in it meanwhile. */
export function clearSentDraft(conversationId: string, sentText: string): void {
  if (drafts.get(conversationId)?.text === sentText) drafts.delete(conversationId);
}

function newUuid(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return [...bytes].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}
