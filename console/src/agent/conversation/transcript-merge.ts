import type { Message } from '../../api/types';

/** The API's order: createdAt, then id (both compare as plain strings: ISO 8601 times, ASCII ids). */
export function compareMessages(a: Message, b: Message): number {
  if (a.createdAt !== b.createdAt) return a.createdAt < b.createdAt ? -1 : 1;
  if (a.id === b.id) return 0;
  return a.id < b.id ? -1 : 1;
}

const sameMessage = (a: Message, b: Message) => JSON.stringify(a) === JSON.stringify(b);

/**
 * `current` (oldest first) with `incoming` added or updated by id. Unchanged messages keep their object,
 * so their memoised rows do not render again; nothing changed → `current` itself.
 */
export function mergeMessages(current: Message[], incoming: Message[]): Message[] {
  const byId = new Map(current.map((message) => [message.id, message]));
  let changed = false;
  for (const message of incoming) {
    const known = byId.get(message.id);
    if (known && sameMessage(known, message)) continue;
    byId.set(message.id, message);
    changed = true;
  }
  return changed ? [...byId.values()].sort(compareMessages) : current;
}

/** One message changed in place (a live status), the others untouched. */
export function patchMessage(current: Message[], messageId: string, patch: Partial<Message>): Message[] {
  const index = current.findIndex((message) => message.id === messageId);
  if (index < 0) return current;
  const next = [...current];
  next[index] = { ...current[index]!, ...patch };
  return next;
}
