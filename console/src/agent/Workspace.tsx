import { useEffect, useRef, useState } from 'preact/hooks';
import { useSession } from '../session/session';
import { Link } from '../shell/Link';
import { navigate } from '../shell/router';
import { useShortcut } from '../shell/shortcuts';
import { ConversationView } from './conversation/ConversationView';
import { ConversationList } from './ConversationList';
import { ListTabs, type Tab } from './ListTabs';
import type { ListView } from './lists-store';
import { clearUnread, countUnread, unreadFor, useUnread } from './unread';
import { useConversationLists } from './use-lists';
import './workspace.css';

const labels: Record<ListView, string> = { mine: 'Mine', queue: 'Queue', all: 'All open' };
const emptyText: Record<ListView, string> = {
  mine: 'No conversations are assigned to you.',
  queue: 'Nothing is waiting in your queues.',
  all: 'No conversations are open.',
};
const narrow = () => window.matchMedia('(max-width: 40rem)').matches;

/** The agent's workspace: the lists on the left, the open conversation on the right (one at a time on a phone). */
export function Workspace(props: { conversationId?: string }) {
  const { me } = useSession();
  const openId = props.conversationId;
  const { views, lists, loadMore } = useConversationLists();
  const [selected, setSelected] = useState<ListView>('mine');
  unreadFor(me.user.id);
  const unread = useUnread();
  useUnreadCounting(openId);
  const pane = useRef<HTMLElement>(null);
  useFocusOnPaneChange(openId, pane);

  // Alt+N / Alt+P walk through my conversations, then the queue.
  const sequence = [...(lists.mine?.items ?? []), ...(lists.queue?.items ?? [])].map((conversation) => conversation.id);
  const step = (by: 1 | -1) => {
    if (sequence.length === 0) return;
    const index = openId ? sequence.indexOf(openId) : -1;
    const next = index < 0 ? (by === 1 ? 0 : sequence.length - 1) : (index + by + sequence.length) % sequence.length;
    navigate(`conversations/${encodeURIComponent(sequence[next]!)}`);
  };
  useShortcut('nextConversation', () => step(1));
  useShortcut('previousConversation', () => step(-1));

  const tabs: Tab<ListView>[] = views.map((view) => {
    const list = lists[view];
    const ready = list && !(list.status === 'loading' && list.items.length === 0);
    return { key: view, label: labels[view], ...(ready ? { count: `${list.items.length}${list.nextCursor ? '+' : ''}` } : {}) };
  });
  const shown = lists[selected] ? selected : 'mine';
  return (
    <div class={`workspace${openId ? ' has-open' : ''}`}>
      <h1 class="workspace-title">Conversations</h1>
      <section class="lists-pane" aria-label="Conversation lists">
        <ListTabs label="Conversation lists" tabs={tabs} selected={shown} onSelect={setSelected}>
          <ConversationList
            label={labels[shown]}
            list={lists[shown]!}
            openId={openId}
            unread={unread}
            empty={emptyText[shown]}
            onLoadMore={() => loadMore(shown)}
          />
        </ListTabs>
      </section>
      <section class="conversation-pane" aria-label="Open conversation" tabIndex={-1} ref={pane}>
        {openId ? (
          <>
            <Link to="conversations" class="back-link">Back to conversations</Link>
            <ConversationView conversationId={openId} />
          </>
        ) : (
          <p class="no-conversation">No conversation is open: choose one from the lists.</p>
        )}
      </section>
    </div>
  );
}

/** Counts inbound messages of conversations other than the open one; opening one clears its count. */
function useUnreadCounting(openId: string | undefined): void {
  const { live } = useSession();
  const open = useRef(openId);
  open.current = openId;
  useEffect(() => {
    if (openId) clearUnread(openId);
  }, [openId]);
  useEffect(
    () =>
      live.onEvent((event) => {
        if (event.type === 'message.created' && event.data.direction === 'inbound' && event.data.conversationId !== open.current) {
          countUnread(event.data.conversationId);
        }
      }),
    [live],
  );
}

/** On a phone only one pane shows: moving between them moves the keyboard focus along. */
function useFocusOnPaneChange(openId: string | undefined, pane: { current: HTMLElement | null }): void {
  const previous = useRef(openId);
  useEffect(() => {
    const before = previous.current;
    previous.current = openId;
    if (before === openId || !narrow()) return;
    if (openId && !before) pane.current?.focus();
    if (!openId && before) {
      const row = document.querySelector<HTMLElement>(`.conversation-link[href$="/${CSS.escape(encodeURIComponent(before))}"]`);
      (row ?? document.querySelector<HTMLElement>('.list-tabs [role="tab"][aria-selected="true"]'))?.focus();
    }
  }, [openId, pane]);
}
