import { useEffect, useMemo, useState } from 'preact/hooks';
import { useSession } from '../session/session';
import { ListsStore, type ListView } from './lists-store';

/** Events after which a conversation may have entered, moved within or left a list. */
const listEvents = new Set(['conversation.waiting', 'conversation.assigned', 'conversation.transferred', 'conversation.closed', 'conversation.reopened', 'message.created']);

/** The lists this user may see, loaded and kept live (re-read in full after every reconnection). */
export function useConversationLists() {
  const { me, live, can } = useSession();
  const views: ListView[] = ['mine'];
  if (can('conversation.accept')) views.push('queue');
  if (can('conversation.viewAll')) views.push('all');
  const key = `${me.user.id}|${me.user.skills.join(',')}|${views.join(',')}`;
  // `key` stands for the user, their skills and the views: a new store only when one of them changes.
  const store = useMemo(() => new ListsStore(views, { userId: me.user.id, skills: [...me.user.skills] }), [key]);
  const [state, setState] = useState(store.state);
  useEffect(() => {
    setState(store.state);
    const unsubscribe = store.subscribe(() => setState(store.state));
    const offEvent = live.onEvent((event) => {
      if (listEvents.has(event.type)) void store.refresh(event.data.conversationId, event.type);
    });
    const offResync = live.onResync(() => store.reloadAll());
    store.reloadAll();
    return () => {
      unsubscribe();
      offEvent();
      offResync();
      store.dispose();
    };
  }, [store, live]);
  return { views: store.views, lists: state, loadMore: (view: ListView) => store.loadMore(view) };
}
