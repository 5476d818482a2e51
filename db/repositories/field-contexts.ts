import type { ConversationDocument } from './conversations.js';
import type { MessageDocument, MessageOwner } from './messages.js';

/**
 * The associated data that binds each encrypted field of a message or conversation to its document.
 *
 * Documents written since contexts name their brand and conversation carry `sealed: 2`: a ciphertext
 * copied onto another brand's document, even one that reuses the id, does not open. Older documents carry
 * no marker and keep their id-only context. The marker, never a failed open, decides which context a
 * reader uses.
 */
export const OWNER_BOUND_SEAL = 2;

/** Ids may hold any character: JSON-encoded, never joined, so two owners never share a context. */
const ownerBound = (kind: string, ids: string[]) => `${kind}:v${OWNER_BOUND_SEAL}:${JSON.stringify(ids)}:`;

export type SealedMessage = Pick<MessageDocument, '_id' | 'brandId' | 'conversationId' | 'sealed'>;
export type SealedConversation = Pick<ConversationDocument, '_id' | 'brandId' | 'sealed'>;

const messagePrefix = (doc: SealedMessage) =>
  doc.sealed === OWNER_BOUND_SEAL ? ownerBound('message', [doc.brandId, doc.conversationId, doc._id]) : `message:${doc._id}:`;

export const messageTextContext = (doc: SealedMessage) => `${messagePrefix(doc)}text`;
export const attachmentUrlContext = (doc: SealedMessage, index: number) => `${messagePrefix(doc)}attachment:${index}`;

export const conversationAddressContext = (doc: SealedConversation) =>
  doc.sealed === OWNER_BOUND_SEAL ? `${ownerBound('conversation', [doc.brandId, doc._id])}address` : `conversation:${doc._id}:address`;

/** A new message's identity: its owner, and the marker its fields are sealed under. */
export const newMessage = (id: string, owner: MessageOwner) =>
  ({ _id: id, brandId: owner.brandId, conversationId: owner.conversationId, sealed: OWNER_BOUND_SEAL }) as const;
