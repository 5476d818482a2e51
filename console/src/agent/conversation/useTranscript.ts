import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { get, withQuery } from '../../api/client';
import type { Message, Page } from '../../api/types';
import { compareMessages, mergeMessages, patchMessage } from './transcript-merge';

export const PAGE_SIZE = 50;
/** Catching up after a long disconnection: past this many pages, the newest pages replace what was loaded. */
const MAX_CATCH_UP_PAGES = 10;

export interface TranscriptState {
  /** The loaded pages, oldest first. */
  messages: Message[];
  /** Where older messages continue (nextCursor of the oldest loaded page); none once the first message is loaded. */
  olderCursor?: string;
  loaded: boolean;
  loadingOlder: boolean;
  error?: unknown;
}

const pagePath = (conversationId: string, after?: string) =>
  withQuery(`/api/v1/conversations/${encodeURIComponent(conversationId)}/messages`, { order: 'newest', limit: PAGE_SIZE, after });

/**
 * The transcript as the console shows it: the newest page first, older pages on demand, newer messages
 * merged in by id (live events, resyncs) without dropping older pages already loaded. Loads run one
 * at a time, so merges never race.
 */
export function useTranscript(conversationId: string) {
  const [state, setState] = useState<TranscriptState>({ messages: [], loaded: false, loadingOlder: false });
  const current = useRef(state);
  current.current = state;
  const queue = useRef<Promise<unknown>>(Promise.resolve());
  const refreshQueued = useRef(false);
  const alive = useRef(true);
  useEffect(() => () => void (alive.current = false), []);

  const update = (change: (before: TranscriptState) => TranscriptState) => {
    if (!alive.current) return;
    current.current = change(current.current);
    setState(current.current);
  };

  const serially = <T,>(task: () => Promise<T>): Promise<T> => {
    const run = queue.current.then(task, task);
    queue.current = run.catch(() => undefined);
    return run;
  };

  /** Reads the newest messages back to the newest one already loaded, and merges them. */
  const refreshNewest = useCallback((): Promise<void> => {
    if (refreshQueued.current) return queue.current.then(() => undefined);
    refreshQueued.current = true;
    return serially(async () => {
      refreshQueued.current = false;
      try {
        const newestKnown = current.current.messages.at(-1);
        const fetched: Message[] = [];
        let cursor: string | undefined;
        let reached = !newestKnown;
        for (let pages = 0; pages < MAX_CATCH_UP_PAGES; pages++) {
          const page = await get<Page<Message>>(pagePath(conversationId, cursor));
          fetched.push(...page.items);
          cursor = page.nextCursor;
          const oldest = page.items.at(-1);
          if (reached || !cursor || !oldest || compareMessages(oldest, newestKnown!) <= 0) {
            reached = true;
            break;
          }
        }
        update((before) => {
          if (newestKnown && reached) return { ...before, messages: mergeMessages(before.messages, fetched), error: undefined };
          // First load, or too much happened meanwhile to bridge the gap: start again from the newest pages.
          return { ...before, messages: [...fetched].sort(compareMessages), olderCursor: cursor, loaded: true, error: undefined };
        });
      } catch (error) {
        update((before) => ({ ...before, loaded: true, error }));
      }
    });
  }, [conversationId]);

  const loadOlder = useCallback(() => serially(async () => {
    const cursor = current.current.olderCursor;
    if (!cursor) return;
    update((before) => ({ ...before, loadingOlder: true, error: undefined }));
    try {
      const page = await get<Page<Message>>(pagePath(conversationId, cursor));
      update((before) => ({ ...before, messages: mergeMessages(before.messages, page.items), olderCursor: page.nextCursor, loadingOlder: false }));
    } catch (error) {
      update((before) => ({ ...before, loadingOlder: false, error }));
    }
  }), [conversationId]);

  const find = useCallback((messageId: string) => current.current.messages.find((message) => message.id === messageId), []);

  const patch = useCallback((messageId: string, fields: Partial<Message>) => {
    update((before) => ({ ...before, messages: patchMessage(before.messages, messageId, fields) }));
  }, []);

  useEffect(() => {
    void refreshNewest();
  }, [refreshNewest]);

  return { state, refreshNewest, loadOlder, patch, find };
}
