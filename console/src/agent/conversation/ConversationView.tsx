import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { post } from '../../api/client';
import type { Message, StreamEvent } from '../../api/types';
import { announce } from '../../common/announcer';
import { ErrorNote } from '../../common/ErrorNote';
import { SecureFormsPanel } from '../../forms/SecureFormsPanel';
import { useSession } from '../../session/session';
import { Link } from '../../shell/Link';
import { useShortcut } from '../../shell/shortcuts';
import { accessTo } from './access';
import { CloseDialog } from './CloseDialog';
import { Composer } from './Composer';
import { ConversationHeader } from './ConversationHeader';
import type { ReplyActions } from './DeliveryState';
import { forgetRefusal, messengerLateNote, replyBlock } from './reply-block';
import { Transcript } from './Transcript';
import { TransferDialog } from './TransferDialog';
import { useConversation } from './useConversation';
import { useConversationActions } from './useConversationActions';
import { useConversationEvents } from './useConversationEvents';
import { useTranscript } from './useTranscript';
import { useTransferTargets } from './useTransferTargets';
import './conversation.css';

/** One conversation: header and actions, secure forms, the transcript (live) and the reply box. */
export function ConversationView(props: { conversationId: string }) {
  // Everything below belongs to one conversation: another id starts afresh (state, drafts, requests).
  return <ConversationPanel key={props.conversationId} conversationId={props.conversationId} />;
}

function ConversationPanel({ conversationId }: { conversationId: string }) {
  const session = useSession();
  const meId = session.me.user.id;
  const view = useConversation(conversationId);
  const transcript = useTranscript(conversationId);
  const heading = useRef<HTMLHeadingElement>(null);
  const replyBox = useRef<HTMLTextAreaElement>(null);
  const [dialog, setDialog] = useState<'transfer' | 'close'>();
  const conversation = view.conversation;
  const access = conversation ? accessTo(conversation, meId, session.can) : undefined;
  const othersAgent = conversation?.agentId && conversation.agentId !== meId && session.can('conversation.transfer') ? conversation.agentId : undefined;
  const names = useTransferTargets(Boolean(othersAgent));

  const reloadAll = useCallback(() => Promise.all([view.reload(), transcript.refreshNewest()]), [view.reload, transcript.refreshNewest]);
  const actions = useConversationActions(conversationId, {
    // The state first (what the agent acts on next); notes and statuses follow in the transcript.
    reload: () => {
      void transcript.refreshNewest();
      return view.reload();
    },
    focusAfter: (action) => {
      // The pressed button is gone with the state it belonged to.
      requestAnimationFrame(() => (action === 'accept' ? replyBox.current ?? heading.current : heading.current)?.focus());
    },
  });

  const replyActions = useMemo<ReplyActions>(() => {
    const act = (action: 'retry' | 'cancel') => async (messageId: string) => {
      const result = await post<{ messageId: string; status: string }>(
        `/api/v1/conversations/${encodeURIComponent(conversationId)}/messages/${encodeURIComponent(messageId)}/${action}`, {},
      );
      transcript.patch(messageId, { status: result.status, ...(result.status === 'retrying' ? {} : { retry: undefined }) });
      announce(action === 'retry' ? 'Sending the reply again' : 'Reply canceled: it will not be sent');
      await transcript.refreshNewest();
    };
    return { retry: act('retry'), cancel: act('cancel') };
  }, [conversationId, transcript.patch, transcript.refreshNewest]);

  useConversationEvents(conversationId, {
    messageCreated: (event) => {
      const messageId = String(event.data.messageId ?? '');
      if (event.data.direction === 'inbound') {
        // The consumer wrote: an opt-out may be over (START), Messenger's window opens again.
        forgetRefusal(conversationId);
        void view.reload();
      }
      void transcript.refreshNewest().then(() => {
        const message = transcript.find(messageId);
        if (event.data.direction === 'inbound') announce(`New message from the consumer: ${message?.text ?? 'an attachment'}`);
      });
    },
    messageStatus: (event) => onStatus(event, transcript),
    conversationChanged: (event) => {
      if (event.type === 'conversation.reopened') forgetRefusal(conversationId);
      void reloadAll();
    },
    resync: () => void reloadAll(),
  });

  const openIf = (allowed: boolean | undefined, which: 'transfer' | 'close', refusal: string) => () => (allowed ? setDialog(which) : announce(refusal));
  useShortcut('reply', () => (replyBox.current ? replyBox.current.focus() : announce('You cannot reply in this conversation')));
  useShortcut('accept', () => (access?.canAccept ? void actions.accept() : announce('This conversation cannot be accepted now')));
  useShortcut('transfer', openIf(access?.canTransfer, 'transfer', 'This conversation cannot be transferred now'));
  useShortcut('close', openIf(access?.canClose, 'close', 'This conversation cannot be closed now'));

  if (view.gone) return <Gone />;
  if (!conversation || !access) {
    return view.error ? <ErrorNote error={view.error} /> : <p role="status">Loading the conversation…</p>;
  }
  const ifIdle = (action: () => unknown) => () => void (actions.busy ? undefined : action());
  return (
    <article class="conversation" aria-labelledby="conversation-heading">
      <ConversationHeader
        conversation={conversation} access={access} agentName={names.agents.find((agent) => agent.id === othersAgent)?.name}
        headingRef={heading} busy={actions.busy} error={actions.error}
        onAccept={ifIdle(actions.accept)} onReopen={ifIdle(actions.reopen)}
        onTransfer={ifIdle(() => setDialog('transfer'))} onClose={ifIdle(() => setDialog('close'))}
      />
      <SecureFormsPanel conversation={conversation} canSend={access.canSendForms} />
      <Transcript
        state={transcript.state} meId={meId} canAct={access.canAct} actions={replyActions}
        onLoadOlder={transcript.loadOlder} onRetry={() => void transcript.refreshNewest()}
      />
      {access.canReply && (
        <Composer
          conversationId={conversationId} inputRef={replyBox} onChanged={() => void reloadAll()}
          block={replyBlock(conversation, access)} note={messengerLateNote(conversation)}
        />
      )}
      <TransferDialog
        open={dialog === 'transfer'} conversation={conversation} meId={meId} onClose={() => setDialog(undefined)}
        onTransfer={actions.transfer}
      />
      <CloseDialog open={dialog === 'close'} onClose={() => setDialog(undefined)} onConfirm={() => void actions.close()} />
    </article>
  );
}

/** A live delivery status: shown at once from the event, then confirmed from the transcript. */
function onStatus(event: StreamEvent, transcript: ReturnType<typeof useTranscript>) {
  const messageId = String(event.data.messageId ?? '');
  const status = String(event.data.status ?? '');
  const failure = event.data.failure as Message['failure'] | undefined;
  const retry = typeof event.data.nextAttemptAt === 'string' && typeof event.data.attempts === 'number'
    ? { attempts: event.data.attempts, nextAttemptAt: event.data.nextAttemptAt }
    : undefined;
  transcript.patch(messageId, { status, ...(failure ? { failure } : {}), retry });
  if (status === 'failed' || status === 'undelivered') announce(`A reply was not delivered${failure ? `: ${failure.reason}` : ''}`);
  void transcript.refreshNewest();
}

function Gone() {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return (
    <section class="conversation" aria-labelledby="conversation-heading">
      <h2 id="conversation-heading" tabIndex={-1} ref={heading}>This conversation is not available to you</h2>
      <p>It may have been transferred to someone else, or it does not exist.</p>
      <Link to="conversations">Back to your conversations</Link>
    </section>
  );
}
