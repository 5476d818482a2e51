import { offRecordLabels } from './formsApi';
import type { FormStatus } from './types';
import { minutesAndSeconds, type useOffRecordClock } from './useOffRecordClock';

/**
 * The time left for the off-the-record answers. The ticking text is not live (a screen reader
 * would hear every second): the start is announced with the submission, the end by the status below.
 */
export function OffRecordCountdown(props: { form: FormStatus; clock: ReturnType<typeof useOffRecordClock> }) {
  const { form, clock } = props;
  if (clock.phase === 'none') return null;
  const labels = offRecordLabels(form);
  return (
    <>
      {clock.phase === 'kept' && (
        <p class="off-record-countdown">
          Off the record ({labels}): kept for{' '}
          <span class="countdown-time" role="timer" aria-live="off">{minutesAndSeconds(clock.remainingMs)}</span>{' '}
          more, until {new Date(clock.expiresAt!).toLocaleTimeString()}.
        </p>
      )}
      <p class="visually-hidden" role="status">
        {clock.endedWhileShown ? `The off-the-record answers (${labels}) of “${form.title}” are gone: ask the visitor to resend the form.` : ''}
      </p>
    </>
  );
}
