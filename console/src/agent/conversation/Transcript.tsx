import { useLayoutEffect, useRef } from 'preact/hooks';
import { ErrorNote } from '../../common/ErrorNote';
import type { ReplyActions } from './DeliveryState';
import { MessageRow } from './MessageRow';
import type { TranscriptState } from './useTranscript';

/** Within this many pixels of the end, the transcript follows new messages. */
const FOLLOW_SLACK_PX = 80;

interface TranscriptProps {
  state: TranscriptState;
  meId: string;
  canAct: boolean;
  actions: ReplyActions;
  onLoadOlder: () => Promise<void>;
  onRetry: () => void;
}

/**
 * The loaded pages of the transcript, oldest first, in a scroll box that opens at the newest message,
 * follows new ones while the agent is at the end, and stays put when older pages are prepended.
 */
export function Transcript(props: TranscriptProps) {
  const { messages, olderCursor, loaded, loadingOlder, error } = props.state;
  const box = useRef<HTMLDivElement>(null);
  const start = useRef<HTMLParagraphElement>(null);
  const fromBottom = useRef(0);
  const shown = useRef<{ first?: string; last?: string }>({});
  const focusStart = useRef(false);

  const remember = () => {
    const element = box.current;
    if (element) fromBottom.current = element.scrollHeight - element.scrollTop - element.clientHeight;
  };

  useLayoutEffect(() => {
    const element = box.current;
    if (!element) return;
    const first = messages[0]?.id;
    const last = messages.at(-1)?.id;
    const before = shown.current;
    if (!before.last || (before.last !== last && fromBottom.current <= FOLLOW_SLACK_PX)) {
      element.scrollTop = element.scrollHeight;
    } else if (before.first !== first) {
      // Older messages went in above: keep what the agent was reading where it was.
      element.scrollTop = element.scrollHeight - element.clientHeight - fromBottom.current;
    }
    if (focusStart.current && before.first !== first) {
      focusStart.current = false;
      // The button is gone with the last page: focus stays near where the agent was.
      if (!olderCursor) start.current?.focus();
    }
    shown.current = { first, last };
    remember();
  }, [messages, olderCursor]);

  const loadOlder = () => {
    if (loadingOlder) return;
    remember();
    focusStart.current = true;
    void props.onLoadOlder();
  };

  return (
    <section class="transcript" aria-labelledby="transcript-heading">
      <h3 id="transcript-heading">Transcript</h3>
      {!loaded && <p role="status">Loading messages…</p>}
      {error !== undefined && (
        <div class="row">
          <ErrorNote error={error} />
          <button type="button" onClick={props.onRetry}>Try again</button>
        </div>
      )}
      <div class="transcript-scroll" ref={box} onScroll={remember} tabIndex={0} role="region" aria-label="Transcript messages">
        {olderCursor ? (
          <button type="button" class="load-older" onClick={loadOlder} aria-disabled={loadingOlder}>
            {loadingOlder ? 'Loading older messages…' : 'Load older messages'}
          </button>
        ) : (
          loaded && messages.length > 0 && <p class="transcript-start hint" tabIndex={-1} ref={start}>Start of the conversation</p>
        )}
        <ol class="transcript-list" aria-label={`Messages, oldest first: ${messages.length} loaded`}>
          {messages.map((message) => (
            <MessageRow key={message.id} message={message} meId={props.meId} canAct={props.canAct} actions={props.actions} />
          ))}
        </ol>
      </div>
    </section>
  );
}
