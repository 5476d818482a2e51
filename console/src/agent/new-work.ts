import { useEffect } from 'preact/hooks';
import type { StreamEvent } from '../api/types';
import { announce } from '../common/announcer';
import { useSession } from '../session/session';
import { alertNewWork } from '../shell/notify';
import { navigate } from '../shell/router';

export interface NewWork {
  title: string;
  body: string;
}

/**
 * Whether an event is new work for me: assigned or transferred to me by someone else (never my
 * own accept), or waiting in one of my queues when I may accept. Words name the situation only,
 * never the consumer or what they wrote.
 */
export function newWorkOf(event: StreamEvent, me: { userId: string; skills: readonly string[]; canAccept: boolean }): NewWork | undefined {
  const data = event.data;
  switch (event.type) {
    case 'conversation.assigned':
      if (data.agentId !== me.userId || data.by === 'accept') return undefined;
      return { title: 'Conversation assigned to you', body: 'A conversation is waiting for your reply.' };
    case 'conversation.transferred':
      if (data.toAgentId !== me.userId || data.byAgentId === me.userId) return undefined;
      return { title: 'Conversation transferred to you', body: 'A colleague handed you a conversation.' };
    case 'conversation.waiting':
      if (!me.canAccept || typeof data.queueId !== 'string' || !me.skills.includes(data.queueId)) return undefined;
      return { title: 'New conversation waiting', body: `In the ${data.queueId} queue.` };
    default:
      return undefined;
  }
}

/** Sound, desktop notification and a polite announcement for new work, on every page while signed in (the shell calls it). */
export function useNewWorkAlerts(): void {
  const { me, live, can } = useSession();
  const canAccept = can('conversation.accept');
  const userId = me.user.id;
  const skills = me.user.skills;
  useEffect(
    () =>
      live.onEvent((event) => {
        const work = newWorkOf(event, { userId, skills, canAccept });
        if (!work) return;
        const path = `conversations/${encodeURIComponent(event.data.conversationId)}`;
        alertNewWork(work.title, work.body, () => navigate(path));
        announce(`${work.title}. ${work.body}`);
      }),
    [live, userId, skills.join('\n'), canAccept],
  );
}
