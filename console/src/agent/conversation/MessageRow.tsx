import { memo } from 'preact/compat';
import type { Message } from '../../api/types';
import { DeliveryState, type ReplyActions } from './DeliveryState';
import { authorLabel, formatDateTime, isTrackedReply } from './format';

interface RowProps {
  message: Message;
  meId: string;
  canAct: boolean;
  actions: ReplyActions;
}

const directionClass = (message: Message) => (message.direction === 'internal' ? 'note' : message.direction);

function Attachments(props: { message: Message }) {
  if (props.message.attachments.length === 0) return null;
  return (
    <ul class="attachments" aria-label="Attachments">
      {props.message.attachments.map((attachment, index) => {
        const name = `Attachment ${index + 1} (${attachment.contentType ?? attachment.type})`;
        return (
          <li key={index}>
            {attachment.url ? (
              <a href={attachment.url} target="_blank" rel="noopener noreferrer">
                {name}<span class="visually-hidden"> (opens in a new tab)</span>
              </a>
            ) : (
              <span>{name}: no longer available</span>
            )}
          </li>
        );
      })}
    </ul>
  );
}

function MessageRowView(props: RowProps) {
  const { message } = props;
  const textId = `message-text-${message.id}`;
  const author = authorLabel(message, props.meId);
  return (
    <li class={`message message-${directionClass(message)}`} data-message-id={message.id}>
      <p class="message-meta">
        <span class="message-author">{author}</span>
        <time dateTime={message.createdAt}>{formatDateTime(message.createdAt)}</time>
      </p>
      <p class="message-text" id={textId}>
        {message.text ?? (message.attachments.length ? '' : '(no text)')}
      </p>
      <Attachments message={message} />
      {isTrackedReply(message) && <DeliveryState message={message} textId={textId} canAct={props.canAct} actions={props.actions} />}
    </li>
  );
}

/** One transcript entry; rendered again only when its message (or the agent's rights) change. */
export const MessageRow = memo(MessageRowView);
