import { OffRecordCountdown } from './OffRecordCountdown';
import { ResendNotice } from './ResendNotice';
import { RevealedValues } from './RevealedValues';
import type { FormProgress, FormStatus } from './types';
import { useOffRecordClock } from './useOffRecordClock';

const statusWords: Record<FormProgress, string> = { sent: 'Sent', opened: 'Opened', submitted: 'Submitted', expired: 'Expired' };

const at = (iso: string) => new Date(iso).toLocaleTimeString();

function timeline(form: FormStatus): string {
  const steps = [`sent ${at(form.sentAt)}`];
  if (form.openedAt) steps.push(`opened ${at(form.openedAt)}`);
  if (form.submittedAt) steps.push(`submitted ${at(form.submittedAt)}`);
  if (form.status === 'sent' || form.status === 'opened') steps.push(`link valid until ${at(form.linkExpiresAt)}`);
  const text = steps.join(', ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** One form of the conversation: its progress, the off-the-record countdown, reveal, and resend when needed. */
export function FormItem(props: { form: FormStatus; conversationOpen: boolean; canSend: boolean; onResend: (templateId: string) => Promise<void>; onGone: () => void }) {
  const { form, conversationOpen } = props;
  const clock = useOffRecordClock(form);
  const headingId = `form-${form.formId}-title`;
  // While the conversation is open the sender's reveal needs every answer, off the record included (410 otherwise).
  const offRecordGone = clock.phase === 'gone';
  const answersLost = form.status === 'submitted' && offRecordGone && conversationOpen;
  return (
    <article class={`secure-form secure-form-${form.status}`} aria-labelledby={headingId}>
      <div class="row secure-form-head">
        <h4 id={headingId} tabIndex={-1}>{form.title}</h4>
        <span class="form-status">
          <span class="visually-hidden">Status: </span>
          {statusWords[form.status]}
        </span>
      </div>
      <p class="hint">{timeline(form)}</p>
      <OffRecordCountdown form={form} clock={clock} />
      {form.status === 'submitted' && (
        <RevealedValues form={form} offRecordGone={offRecordGone} canReveal={!answersLost} conversationOpen={conversationOpen} headingId={headingId} onGone={props.onGone} />
      )}
      {(form.status === 'expired' || answersLost) && (
        <ResendNotice form={form} reason={form.status === 'expired' ? 'expired' : 'offRecordGone'} canSend={props.canSend} onResend={props.onResend} />
      )}
    </article>
  );
}
