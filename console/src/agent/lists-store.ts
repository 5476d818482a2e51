import { ApiError, get, withQuery } from '../api/client';
import type { Page } from '../api/types';
import { appendPage, placed, without, type Listed } from './conversation-order';

export type ListView = 'mine' | 'queue' | 'all';

export interface ListState {
  items: Listed[];
  nextCursor?: string;
  /** loading: the first page (or a re-read); more: a further page. */
  status: 'loading' | 'more' | 'ready';
  error?: unknown;
}

export interface Viewer {
  userId: string;
  skills: readonly string[];
}

export const pageSize = 25;
const query: Record<ListView, { view: ListView; status: 'open' }> = {
  mine: { view: 'mine', status: 'open' },
  queue: { view: 'queue', status: 'open' },
  all: { view: 'all', status: 'open' },
};
/** Events after which an unassigned conversation of my queues is waiting (before them it may not be acceptable yet). */
const startsWaiting = new Set(['conversation.waiting', 'conversation.transferred', 'conversation.reopened']);

function belongs(view: ListView, conversation: Listed, viewer: Viewer, shown: boolean, eventType: string): boolean {
  if (conversation.status !== 'open') return false;
  if (view === 'mine') return conversation.agentId === viewer.userId;
  if (view === 'all') return true;
  return !conversation.agentId && viewer.skills.includes(conversation.queueId) && (shown || startsWaiting.has(eventType));
}

/**
 * The workspace's lists, read in pages and kept current one conversation at a time: after an event
 * the conversation is read again and put in, moved within or taken out of each list. A change that
 * lands while a page is being read makes that list read again once it is done, so an older page
 * never overwrites a newer state.
 */
export class ListsStore {
  state: Partial<Record<ListView, ListState>>;
  private readonly listeners = new Set<() => void>();
  private readonly generation = new Map<ListView, number>();
  private readonly reading = new Set<ListView>();
  private readonly stale = new Set<ListView>();
  private readonly latestRead = new Map<string, number>();
  private disposed = false;

  constructor(readonly views: readonly ListView[], private readonly viewer: Viewer) {
    this.state = Object.fromEntries(views.map((view) => [view, { items: [], status: 'loading' }]));
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  dispose(): void {
    this.disposed = true;
    this.listeners.clear();
  }

  reloadAll(): void {
    for (const view of this.views) void this.read(view, 'reload');
  }

  /** Reads the list again from its start, as many items as it shows (at most 100). */
  reload(view: ListView): Promise<void> {
    return this.read(view, 'reload');
  }

  loadMore(view: ListView): Promise<void> {
    return this.read(view, 'more');
  }

  /** Reads one conversation again after an event about it and updates every list. */
  async refresh(conversationId: string, eventType: string): Promise<void> {
    const ticket = (this.latestRead.get(conversationId) ?? 0) + 1;
    this.latestRead.set(conversationId, ticket);
    let conversation: Listed | undefined;
    try {
      conversation = await get<Listed>(`/api/v1/conversations/${encodeURIComponent(conversationId)}`);
    } catch (error) {
      // 404: out of my sight now (e.g. taken by another agent). Anything else: the next resync repairs it.
      if (!(error instanceof ApiError && error.status === 404)) return;
    }
    if (this.disposed || this.latestRead.get(conversationId) !== ticket) return;
    this.latestRead.delete(conversationId);
    for (const view of this.views) {
      if (this.reading.has(view)) this.stale.add(view);
      this.change(view, (list) => {
        const shown = list.items.some((item) => item.id === conversationId);
        const items = conversation && belongs(view, conversation, this.viewer, shown, eventType)
          ? placed(list.items, conversation, Boolean(list.nextCursor))
          : without(list.items, conversationId);
        return items === list.items ? list : { ...list, items };
      });
    }
  }

  private async read(view: ListView, mode: 'reload' | 'more'): Promise<void> {
    const list = this.state[view];
    if (!list || (mode === 'more' && (!list.nextCursor || this.reading.has(view)))) return;
    const generation = (this.generation.get(view) ?? 0) + (mode === 'reload' ? 1 : 0);
    this.generation.set(view, generation);
    this.reading.add(view);
    this.stale.delete(view);
    this.change(view, (current) => ({ ...current, status: mode === 'more' ? 'more' : 'loading', error: undefined }));
    const limit = mode === 'more' ? pageSize : Math.min(100, Math.max(pageSize, list.items.length));
    try {
      const page = await get<Page<Listed>>(withQuery('/api/v1/conversations', { ...query[view], limit, cursor: mode === 'more' ? list.nextCursor : undefined }));
      if (this.disposed || this.generation.get(view) !== generation) return;
      this.change(view, (current) => ({
        items: mode === 'more' ? appendPage(current.items, page.items) : page.items,
        ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
        status: 'ready',
      }));
    } catch (error) {
      if (this.disposed || this.generation.get(view) !== generation) return;
      this.change(view, (current) => ({ ...current, status: 'ready', error }));
    } finally {
      if (this.generation.get(view) === generation) {
        this.reading.delete(view);
        if (this.stale.has(view) && !this.disposed) void this.read(view, 'reload');
      }
    }
  }

  private change(view: ListView, update: (list: ListState) => ListState): void {
    const list = this.state[view];
    if (!list) return;
    const next = update(list);
    if (next === list) return;
    this.state = { ...this.state, [view]: next };
    for (const listener of this.listeners) listener();
  }
}
