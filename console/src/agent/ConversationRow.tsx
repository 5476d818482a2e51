import { memo } from 'preact/compat';
import { Link } from '../shell/Link';
import type { Listed } from './conversation-order';
import { exactTime, relativeTime } from './time';

const channelNames: Record<Listed['channel'], string> = { sms: 'SMS', messenger: 'Messenger' };

/** One conversation in a list: a link that opens it. Memoised: a list of hundreds re-renders only the rows that changed. */
export const ConversationRow = memo(function ConversationRow(props: { conversation: Listed; open: boolean; unread: number; now: number }) {
  const { conversation, unread } = props;
  const waiting = !conversation.agentId && conversation.waitingSince;
  const at = waiting ? conversation.waitingSince! : conversation.lastMessageAt;
  return (
    <li class="conversation-row">
      <Link to={`conversations/${encodeURIComponent(conversation.id)}`} current={props.open} class="conversation-link">
        <span class="row-top">
          <span class={`channel channel-${conversation.channel}`}>{channelNames[conversation.channel]}</span>
          <span class="consumer">{conversation.consumer.display}</span>
          {unread > 0 && (
            <span class="unread">
              {unread}
              <span class="visually-hidden"> unread {unread === 1 ? 'message' : 'messages'}</span>
            </span>
          )}
        </span>
        <span class="row-bottom">
          <span class="queue">
            <span class="visually-hidden">Queue: </span>
            {conversation.queueId}
          </span>
          <span class="when">
            {waiting ? 'Waiting since ' : 'Last activity '}
            <time dateTime={at} title={exactTime(at)}>{relativeTime(at, props.now)}</time>
          </span>
        </span>
      </Link>
    </li>
  );
});
