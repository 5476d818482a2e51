import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../api/client';
import { ErrorNote } from '../common/ErrorNote';
import { revealValues } from './formsApi';
import type { FormStatus, RevealedField } from './types';

/**
 * Reveal and hide a submitted form's values. They live in this component's state only: hiding,
 * leaving the conversation or the off-the-record time running out drops them from memory and
 * from the page (never storage, never the console).
 */
export function RevealedValues(props: { form: FormStatus; offRecordGone: boolean; canReveal: boolean; conversationOpen: boolean; headingId: string; onGone: () => void }) {
  const { form, offRecordGone } = props;
  const [values, setValues] = useState<RevealedField[] | undefined>(undefined);
  const [revealedAt, setRevealedAt] = useState<Date | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const region = useRef<HTMLDivElement>(null);
  const revealButton = useRef<HTMLButtonElement>(null);
  const regionId = `revealed-${form.formId}`;

  useEffect(() => {
    if (offRecordGone) setValues((current) => current?.filter((field) => !field.offRecord));
  }, [offRecordGone]);
  const openWhenRevealed = useRef(props.conversationOpen);
  useEffect(() => {
    if (openWhenRevealed.current === props.conversationOpen) return;
    openWhenRevealed.current = props.conversationOpen;
    setValues(undefined);
  }, [props.conversationOpen]);

  const reveal = async () => {
    setBusy(true);
    setError(undefined);
    try {
      setValues(await revealValues(form.formId));
      setRevealedAt(new Date());
      window.setTimeout(() => region.current?.focus(), 0);
    } catch (caught) {
      setError(caught);
      if (caught instanceof ApiError && caught.status === 410) props.onGone();
    } finally {
      setBusy(false);
    }
  };
  const hide = () => {
    setValues(undefined);
    // The region is gone: focus goes back where the reveal started (or to the form, when it cannot be revealed again).
    window.setTimeout(() => (revealButton.current ?? document.getElementById(props.headingId))?.focus(), 0);
  };

  const shown = values?.filter((field) => !(offRecordGone && field.offRecord));
  const erased = offRecordGone ? form.fields.filter((field) => field.offRecord) : [];
  return (
    <div class="stack reveal">
      {shown ? (
        <div class="revealed card" role="region" aria-labelledby={`${regionId}-title`} tabIndex={-1} ref={region} id={regionId}>
          <h5 id={`${regionId}-title`}>Values of “{form.title}”</h5>
          <dl class="revealed-values">
            {shown.map((field) => (
              <div key={field.name}>
                <dt>{field.label}{field.offRecord ? ' (off the record)' : ''}</dt>
                <dd><code>{field.value}</code></dd>
              </div>
            ))}
            {erased.map((field) => (
              <div key={field.name}>
                <dt>{field.label}</dt>
                <dd class="erased">Erased: it was kept off the record only briefly</dd>
              </div>
            ))}
          </dl>
          <p class="hint">Revealed at {revealedAt?.toLocaleTimeString()}. Every reveal is recorded in the audit log.</p>
          <div class="row">
            <button type="button" onClick={hide}>Hide the values</button>
          </div>
        </div>
      ) : (
        props.canReveal && (
          <div class="row">
            <button type="button" class="primary" ref={revealButton} onClick={reveal} disabled={busy} aria-describedby={`${regionId}-note`}>
              {revealedAt ? 'Reveal again' : 'Reveal the values'}
            </button>
            <p class="hint" id={`${regionId}-note`}>
              {revealedAt
                ? `Revealed at ${revealedAt.toLocaleTimeString()} and hidden. Revealing again is recorded in the audit log too.`
                : 'Only you can reveal them; every reveal is recorded in the audit log.'}
            </p>
          </div>
        )
      )}
      <ErrorNote error={error} />
    </div>
  );
}
