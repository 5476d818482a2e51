import type { RefObject } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, post } from '../../api/client';
import { announce } from '../../common/announcer';
import { ErrorNote } from '../../common/ErrorNote';
import { shortcuts } from '../../shell/shortcuts';
import { clearSentDraft, messageIdFor, readDraft, writeDraft } from './drafts';
import { blockingCodes, forgetRefusal, rememberRefusal, type ReplyBlock } from './reply-block';

interface ComposerProps {
  /** The conversation this box belongs to: the parent renders a new Composer (key) for another one. */
  conversationId: string;
  block?: ReplyBlock;
  note?: string;
  inputRef: RefObject<HTMLTextAreaElement | null>;
  /** After a 202 or a refusal that changes what the view shows. */
  onChanged: () => void;
}

/** The reply box: its draft stays with its conversation, and a send is recorded once however often it is pressed. */
export function Composer(props: ComposerProps) {
  // Fixed for this box's life: typing, sending and clearing all go to the conversation it was opened for.
  const [conversationId] = useState(props.conversationId);
  const [text, setText] = useState(() => readDraft(conversationId));
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<unknown>();
  const mounted = useRef(true);
  useEffect(() => () => void (mounted.current = false), []);

  const send = async () => {
    if (sending) return;
    if (props.block?.hard) return announce(props.block.message);
    const reply = text;
    if (!reply.trim()) {
      setError(new ApiError(400, 'empty_reply', 'Write a reply first.'));
      return;
    }
    setSending(true);
    setError(undefined);
    try {
      await post(`/api/v1/conversations/${encodeURIComponent(conversationId)}/replies`, { text: reply, messageId: messageIdFor(conversationId, reply) });
      clearSentDraft(conversationId, reply);
      forgetRefusal(conversationId);
      if (mounted.current) setText((now) => (now === reply ? '' : now));
      announce('Reply sent');
      props.onChanged();
    } catch (caught) {
      if (caught instanceof ApiError && caught.status === 409 && blockingCodes.has(caught.code)) {
        // Shown from now on above the box (before the agent types again), so announced rather than repeated.
        if (caught.code !== 'conversation_closed') rememberRefusal(conversationId, caught.code, caught.message);
        announce(caught.message);
        if (mounted.current) setError(undefined);
        props.onChanged();
      } else if (mounted.current) setError(caught);
    } finally {
      if (mounted.current) setSending(false);
    }
  };

  const refusedBySensitiveText = error instanceof ApiError && error.code === 'sensitive_data_in_text';
  const describedBy = ['reply-hint', props.block && 'reply-block', props.note && 'reply-note'].filter(Boolean).join(' ');
  return (
    <section class="composer" aria-labelledby="composer-heading">
      <h3 id="composer-heading" class="visually-hidden">Reply</h3>
      {props.block && <p class="notice" id="reply-block" data-code={props.block.code}>{props.block.message}</p>}
      {props.note && <p class="hint" id="reply-note">{props.note}</p>}
      <form class="stack" onSubmit={(event) => { event.preventDefault(); void send(); }}>
        <label>
          Reply to the consumer
          <textarea
            ref={props.inputRef} rows={3} value={text} aria-describedby={describedBy}
            aria-keyshortcuts={shortcuts.reply.label}
            onInput={(event) => {
              const value = event.currentTarget.value;
              setText(value);
              writeDraft(conversationId, value);
            }}
            onKeyDown={(event) => {
              if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
                event.preventDefault();
                void send();
              }
            }}
          />
        </label>
        <p class="hint" id="reply-hint">Ctrl+Enter sends. Drafts stay with this conversation until you send them.</p>
        <ErrorNote error={error} />
        {refusedBySensitiveText && (
          <p class="hint">Nothing was sent. To collect card numbers or other sensitive details, send the consumer a secure form instead.</p>
        )}
        <div class="row">
          <button type="submit" class="primary" aria-disabled={sending || props.block?.hard === true}>
            {sending ? 'Sending…' : 'Send'}
          </button>
        </div>
      </form>
    </section>
  );
}
