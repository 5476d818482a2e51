import { useEffect, useState } from 'preact/hooks';
import { forgetOnSignOut } from '../session/memory';

/**
 * Inbound messages that arrived while their conversation was not the one open, per conversation.
 * In memory only (never storage): a reload starts from zero.
 */
const counts = new Map<string, number>();
const listeners = new Set<() => void>();
forgetOnSignOut(() => {
  counts.clear();
  changed();
});

function changed(): void {
  for (const listener of listeners) listener();
}

export function countUnread(conversationId: string): void {
  counts.set(conversationId, (counts.get(conversationId) ?? 0) + 1);
  changed();
}

export function clearUnread(conversationId: string): void {
  if (counts.delete(conversationId)) changed();
}

let owner: string | undefined;

/** Counts belong to the user who saw them arrive: another user signing in on this page starts from zero. */
export function unreadFor(userId: string): void {
  if (owner === userId) return;
  owner = userId;
  if (counts.size === 0) return;
  counts.clear();
  changed();
}

/** The counts, re-rendering when one changes (a new Map each time, so memoised rows compare cheaply). */
export function useUnread(): ReadonlyMap<string, number> {
  const [snapshot, setSnapshot] = useState<ReadonlyMap<string, number>>(() => new Map(counts));
  useEffect(() => {
    const update = () => setSnapshot(new Map(counts));
    listeners.add(update);
    update();
    return () => void listeners.delete(update);
  }, []);
  return snapshot;
}
