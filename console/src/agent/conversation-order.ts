import type { Conversation } from '../api/types';

/** A conversation as the lists show it. */
export type Listed = Conversation;

/** The API's list order: most recent activity first, then id (descending), so pages never overlap. */
export function comesBefore(a: Listed, b: Listed): boolean {
  if (a.lastMessageAt !== b.lastMessageAt) return a.lastMessageAt > b.lastMessageAt;
  return a.id > b.id;
}

/** A further page appended, skipping what is already shown (activity may have moved an item between pages). */
export function appendPage(items: Listed[], page: Listed[]): Listed[] {
  const shown = new Set(items.map((item) => item.id));
  return [...items, ...page.filter((item) => !shown.has(item.id))];
}

export function without(items: Listed[], id: string): Listed[] {
  return items.some((item) => item.id === id) ? items.filter((item) => item.id !== id) : items;
}

/**
 * The list with `conversation` in its place. When more pages wait on the server and it sorts
 * past the last item shown, it is left for "Load more" to bring (in its place there).
 */
export function placed(items: Listed[], conversation: Listed, hasMore: boolean): Listed[] {
  const rest = without(items, conversation.id);
  const index = rest.findIndex((item) => comesBefore(conversation, item));
  if (index < 0) return hasMore ? rest : [...rest, conversation];
  return [...rest.slice(0, index), conversation, ...rest.slice(index)];
}
