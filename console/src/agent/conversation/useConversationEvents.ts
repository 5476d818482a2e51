import { useEffect, useRef } from 'preact/hooks';
import type { StreamEvent } from '../../api/types';
import { useSession } from '../../session/session';

export interface ConversationEventHandlers {
  messageCreated(event: StreamEvent): void;
  messageStatus(event: StreamEvent): void;
  conversationChanged(event: StreamEvent): void;
  /** After a reconnection: events may have been missed. */
  resync(): void;
}

/** The live stream's events about one conversation. */
export function useConversationEvents(conversationId: string, handlers: ConversationEventHandlers): void {
  const { live } = useSession();
  const latest = useRef(handlers);
  latest.current = handlers;
  useEffect(() => {
    const stopEvents = live.onEvent((event) => {
      if (event.data.conversationId !== conversationId) return;
      if (event.type === 'message.created') latest.current.messageCreated(event);
      else if (event.type === 'message.status') latest.current.messageStatus(event);
      else if (event.type.startsWith('conversation.')) latest.current.conversationChanged(event);
    });
    const stopResync = live.onResync(() => latest.current.resync());
    return () => {
      stopEvents();
      stopResync();
    };
  }, [live, conversationId]);
}
