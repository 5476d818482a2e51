import type { Ref } from 'preact';
import type { Conversation } from '../../api/types';
import { ErrorNote } from '../../common/ErrorNote';
import { shortcuts } from '../../shell/shortcuts';
import type { Access } from './access';
import { channelLabel, formatDateTime, statusLabel } from './format';

interface HeaderProps {
  conversation: Conversation;
  access: Access;
  agentName?: string;
  headingRef: Ref<HTMLHeadingElement>;
  busy: boolean;
  error: unknown;
  onAccept: () => void;
  onTransfer: () => void;
  onClose: () => void;
  onReopen: () => void;
}

/** Who, where, in which state, and the actions this agent may take now. */
export function ConversationHeader(props: HeaderProps) {
  const { conversation, access } = props;
  const agent = !conversation.agentId ? 'Nobody yet' : access.mine ? 'You' : (props.agentName ?? conversation.agentId);
  return (
    <header class="conversation-header">
      <h2 id="conversation-heading" tabIndex={-1} ref={props.headingRef}>
        {channelLabel(conversation.channel)} conversation with {conversation.consumer.display}
      </h2>
      <dl class="conversation-facts">
        <div><dt>Channel</dt><dd>{channelLabel(conversation.channel)}</dd></div>
        <div><dt>Consumer</dt><dd>{conversation.consumer.display}</dd></div>
        <div><dt>Queue</dt><dd>{conversation.queueId}</dd></div>
        <div>
          <dt>Status</dt>
          <dd class={`conversation-status status-${conversation.status}`}>
            {statusLabel(conversation)}
            {conversation.closedAt && ` since ${formatDateTime(conversation.closedAt)}`}
          </dd>
        </div>
        <div><dt>Agent</dt><dd>{agent}</dd></div>
      </dl>
      <div class="row conversation-actions">
        {access.canAccept && (
          <button type="button" class="primary" aria-disabled={props.busy} onClick={props.onAccept} aria-keyshortcuts={shortcuts.accept.label}>Accept</button>
        )}
        {access.canReopen && <button type="button" aria-disabled={props.busy} onClick={props.onReopen}>Reopen</button>}
        {access.canTransfer && (
          <button type="button" aria-disabled={props.busy} onClick={props.onTransfer} aria-keyshortcuts={shortcuts.transfer.label}>Transfer…</button>
        )}
        {access.canClose && (
          <button type="button" class="danger" aria-disabled={props.busy} onClick={props.onClose} aria-keyshortcuts={shortcuts.close.label}>Close…</button>
        )}
      </div>
      <ErrorNote error={props.error} />
    </header>
  );
}
