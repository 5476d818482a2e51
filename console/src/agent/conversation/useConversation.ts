import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, get } from '../../api/client';
import type { Conversation } from '../../api/types';

export interface ConversationState {
  conversation?: Conversation;
  /** 404: not (or no longer) visible to this user, e.g. after a transfer to someone else. */
  gone: boolean;
  error?: unknown;
}

/** One conversation, re-read on demand (after an action, a live event, a reconnection). */
export function useConversation(conversationId: string) {
  const [state, setState] = useState<ConversationState>({ gone: false });
  const latestRead = useRef(0);

  const reload = useCallback(async (): Promise<Conversation | undefined> => {
    const read = ++latestRead.current;
    try {
      const conversation = await get<Conversation>(`/api/v1/conversations/${encodeURIComponent(conversationId)}`);
      if (read === latestRead.current) setState({ conversation, gone: false });
      return conversation;
    } catch (error) {
      if (read !== latestRead.current) return undefined;
      if (error instanceof ApiError && error.status === 404) setState({ gone: true });
      else setState((before) => ({ ...before, error }));
      return undefined;
    }
  }, [conversationId]);

  useEffect(() => {
    void reload();
  }, [reload]);

  return { ...state, reload };
}
