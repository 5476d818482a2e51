import { useState } from 'preact/hooks';
import { ErrorNote } from '../common/ErrorNote';
import { offRecordLabels } from './formsApi';
import type { FormStatus } from './types';

/** A form that can no longer give the agent its answers: expired, or its off-the-record answers are gone. */
export function ResendNotice(props: { form: FormStatus; reason: 'expired' | 'offRecordGone'; canSend: boolean; onResend: (templateId: string) => Promise<void> }) {
  const { form } = props;
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const [resentAt, setResentAt] = useState<Date | undefined>(undefined);
  const resend = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await props.onResend(form.templateId);
      setResentAt(new Date());
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };
  const why = props.reason === 'expired'
    ? 'This form expired before the visitor submitted it.'
    : `The off-the-record answers (${offRecordLabels(form)}) are gone: they are kept only briefly.`;
  return (
    <div class="notice stack resend-notice">
      <p><strong>Ask the visitor to resend.</strong> {why}</p>
      {props.canSend ? (
        <div class="row">
          <button type="button" onClick={resend} disabled={busy}>Send “{form.title}” again</button>
          {resentAt && <p class="hint">Sent again at {resentAt.toLocaleTimeString()}: the new form is at the top of the list.</p>}
        </div>
      ) : (
        <p class="hint">Only the agent assigned to this open conversation can send it again.</p>
      )}
      <ErrorNote error={error} />
    </div>
  );
}
