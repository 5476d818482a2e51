import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import type { FormErrors } from './form-errors';

/** What the control inside a Field needs to be labelled and described. */
export interface FieldAria {
  id: string;
  'aria-describedby'?: string;
  'aria-invalid'?: true;
}

export const describedBy = (...ids: (string | undefined | false)[]) => ids.filter(Boolean).join(' ') || undefined;

/** A labelled control with its hint and, after a refusal, its error (both read with the control). */
export function Field(props: { id: string; label: string; hint?: ComponentChildren; error?: string; children: (aria: FieldAria) => ComponentChildren }) {
  const hintId = props.hint ? `${props.id}-hint` : undefined;
  const errorId = props.error ? `${props.id}-error` : undefined;
  return (
    <div class="admin-field">
      <label htmlFor={props.id}>{props.label}</label>
      {props.children({ id: props.id, 'aria-describedby': describedBy(hintId, errorId), 'aria-invalid': props.error ? true : undefined })}
      {props.hint && <p class="hint" id={hintId}>{props.hint}</p>}
      {props.error && <p class="error" id={errorId}>{props.error}</p>}
    </div>
  );
}

/** The form-level message, in an alert so it is heard at once. */
export function FormError(props: { id: string; errors: FormErrors }) {
  if (!props.errors.form) return null;
  return <p class="error" role="alert" id={props.id}>{props.errors.form}</p>;
}

/** After a refusal, focus goes to the first field it names, so the keyboard user lands where the fix is. */
export function useFocusFirstInvalid(errors: FormErrors) {
  const form = useRef<HTMLFormElement>(null);
  useEffect(() => {
    form.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [errors]);
  return form;
}
