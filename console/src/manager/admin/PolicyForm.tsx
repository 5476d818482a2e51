import { useState } from 'preact/hooks';
import { announce } from '../../common/announcer';
import { updatePolicy } from './admin-api';
import { Field, FormError, useFocusFirstInvalid } from './Field';
import { formErrorsOf, noErrors, type FormErrors } from './form-errors';
import { numberOrNull } from './form-values';
import type { Policy } from './types';

/** PCI DSS v4.0's floors, which the server enforces (8.3.6, 8.3.4, 8.2.8): shown so nobody has to guess. */
const settings: { key: keyof Policy; label: string; min: number; max: number; unit: string; note: string }[] = [
  { key: 'minPasswordLength', label: 'Minimum password length', min: 12, max: 128, unit: 'characters', note: 'Applies to every new password.' },
  { key: 'maxFailedLogins', label: 'Failed sign-ins before the account locks', min: 3, max: 10, unit: 'attempts in a row',
    note: 'A locked account stays locked until an administrator unlocks it.' },
  { key: 'idleTimeoutMinutes', label: 'Idle timeout in minutes', min: 1, max: 15, unit: 'minutes', note: 'Inactive sessions end after this long.' },
];

const asDraft = (policy: Policy) => Object.fromEntries(settings.map(({ key }) => [key, String(policy[key])])) as Record<keyof Policy, string>;

/** The brand's account policy, saved as a whole; the server checks the bounds and says which value it refuses. */
export function PolicyForm(props: { policy: Policy; onSaved: (policy: Policy) => void }) {
  const [draft, setDraft] = useState(asDraft(props.policy));
  const [errors, setErrors] = useState<FormErrors>(noErrors);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);
  const form = useFocusFirstInvalid(errors);

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setSaved(false);
    try {
      const policy = await updatePolicy(Object.fromEntries(settings.map(({ key }) => [key, numberOrNull(draft[key])])));
      setErrors(noErrors);
      setDraft(asDraft(policy));
      setSaved(true);
      announce('The account policy is saved.');
      props.onSaved(policy);
    } catch (caught) {
      setErrors(formErrorsOf(caught, settings.map(({ key }) => key)));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form ref={form} class="stack card admin-policy" noValidate onSubmit={submit} aria-describedby={errors.form ? 'policy-error' : undefined}>
      {settings.map((setting) => (
        <Field key={setting.key} id={`policy-${setting.key}`} label={setting.label} error={errors.fields[setting.key]}
          hint={`${setting.min} to ${setting.max} ${setting.unit}. ${setting.note}`}>
          {(aria) => (
            <input {...aria} type="number" inputMode="numeric" min={setting.min} max={setting.max} required value={draft[setting.key]}
              onInput={(e) => setDraft({ ...draft, [setting.key]: e.currentTarget.value })} />
          )}
        </Field>
      ))}
      <FormError id="policy-error" errors={errors} />
      {saved && <p class="admin-done">The account policy is saved.</p>}
      <div>
        <button type="submit" class="primary" disabled={busy}>Save policy</button>
      </div>
    </form>
  );
}
