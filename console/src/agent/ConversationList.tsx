import { useEffect, useRef } from 'preact/hooks';
import { announce } from '../common/announcer';
import { ErrorNote } from '../common/ErrorNote';
import { ConversationRow } from './ConversationRow';
import type { ListState } from './lists-store';
import { useNow } from '../common/useNow';

/** One list (Mine, Queue, All open): its rows, the next page on request. */
export function ConversationList(props: {
  label: string;
  list: ListState;
  openId?: string;
  unread: ReadonlyMap<string, number>;
  empty: string;
  onLoadMore: () => Promise<void>;
}) {
  const { list } = props;
  const now = useNow(30_000);
  const rows = useRef<HTMLUListElement>(null);
  const firstLoad = list.status === 'loading' && list.items.length === 0;
  const pendingFrom = useRef<number | undefined>(undefined);
  const loadMore = () => {
    if (list.status !== 'ready') return;
    pendingFrom.current = list.items.length;
    void props.onLoadMore();
  };
  useEffect(() => {
    const before = pendingFrom.current;
    if (before === undefined || list.status !== 'ready') return;
    pendingFrom.current = undefined;
    if (list.error) return;
    const added = list.items.length - before;
    announce(added > 0 ? `${added} more conversations shown` : 'No more conversations');
    // The button is gone after the last page: keep the keyboard where the new rows start.
    if (!list.nextCursor) rows.current?.children[before]?.querySelector('a')?.focus();
  }, [list]);
  return (
    <div class="conversation-list" aria-busy={list.status !== 'ready'}>
      {firstLoad && <p class="hint">Loading…</p>}
      {!firstLoad && list.items.length === 0 && !list.error && <p class="hint">{props.empty}</p>}
      {list.items.length > 0 && (
        <ul aria-label={props.label} ref={rows}>
          {list.items.map((conversation) => (
            <ConversationRow
              key={conversation.id}
              conversation={conversation}
              open={conversation.id === props.openId}
              unread={props.unread.get(conversation.id) ?? 0}
              now={now}
            />
          ))}
        </ul>
      )}
      <ErrorNote error={list.error} />
      {list.nextCursor && (
        <button type="button" class="load-more" onClick={loadMore} aria-disabled={list.status === 'more'}>
          {list.status === 'more' ? 'Loading more…' : 'Load more'}
        </button>
      )}
    </div>
  );
}
