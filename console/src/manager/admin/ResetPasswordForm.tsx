import { useState } from 'preact/hooks';
import type { User } from '../../api/types';
import { resetPassword } from './admin-api';
import { Field, FormError, useFocusFirstInvalid } from './Field';
import { formErrorsOf, noErrors, type FormErrors } from './form-errors';

/** Sets a temporary password: it signs the user out everywhere and must be replaced at their next sign-in. */
export function ResetPasswordForm(props: { user: User; minPasswordLength?: number; onDone: (user: User) => void; onCancel: () => void }) {
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<FormErrors>(noErrors);
  const [busy, setBusy] = useState(false);
  const form = useFocusFirstInvalid(errors);

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    try {
      props.onDone(await resetPassword(props.user.id, password));
    } catch (caught) {
      setErrors(formErrorsOf(caught, ['password']));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form ref={form} class="stack admin-form" noValidate onSubmit={submit} aria-describedby={errors.form ? 'reset-password-error' : undefined}>
      <p>
        Set a temporary password for <strong>{props.user.name}</strong> ({props.user.email}). They are signed out everywhere now and
        must choose their own password at their next sign-in.
      </p>
      <Field id="reset-password" label="Temporary password" error={errors.fields.password}
        hint={`At least ${props.minPasswordLength ?? 12} characters. Tell it to the user privately.`}>
        {(aria) => <input {...aria} type="password" value={password} required autoComplete="new-password" onInput={(e) => setPassword(e.currentTarget.value)} />}
      </Field>
      <FormError id="reset-password-error" errors={errors} />
      <div class="row">
        <button type="submit" class="primary" disabled={busy}>Set temporary password</button>
        <button type="button" onClick={props.onCancel}>Cancel</button>
      </div>
    </form>
  );
}
