import { useState } from 'preact/hooks';
import type { Permission } from '../../api/types';
import { useSession } from '../../session/session';
import { createProfile, updateProfile } from './admin-api';
import { Field, FormError, useFocusFirstInvalid } from './Field';
import { formErrorsOf, noErrors, type FormErrors } from './form-errors';
import { PermissionsField } from './PermissionsField';
import { roles, type Profile, type Role } from './types';

const roleHints: Record<Role, string> = {
  agent: 'agent: works conversations',
  manager: 'manager: watches operations',
  admin: 'admin: runs the brand',
};

/** Creates a custom profile, or changes one's role and permissions (its name stays). */
export function ProfileForm(props: { profile?: Profile; onSaved: (profile: Profile) => void; onCancel: () => void }) {
  const { can } = useSession();
  const { profile } = props;
  const prefix = profile ? 'edit-profile' : 'new-profile';
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>(profile?.role ?? 'agent');
  const [permissions, setPermissions] = useState<Permission[]>(profile?.permissions ?? []);
  const [errors, setErrors] = useState<FormErrors>(noErrors);
  const [busy, setBusy] = useState(false);
  const form = useFocusFirstInvalid(errors);

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    try {
      props.onSaved(await (profile ? updateProfile(profile.id, { role, permissions }) : createProfile({ name, role, permissions })));
    } catch (caught) {
      setErrors(formErrorsOf(caught, ['name', 'role', 'permissions']));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form ref={form} class="stack admin-form" noValidate onSubmit={submit} aria-describedby={errors.form ? `${prefix}-error` : undefined}>
      {profile ? (
        <p class="hint">Name: {profile.name} (it does not change). Changes apply to its users at their next request.</p>
      ) : (
        <Field id={`${prefix}-name`} label="Name" hint="Lowercase letters, digits, _ and -; up to 63 characters, e.g. night-shift." error={errors.fields.name}>
          {(aria) => <input {...aria} value={name} required autoComplete="off" spellcheck={false} onInput={(e) => setName(e.currentTarget.value)} />}
        </Field>
      )}
      <Field id={`${prefix}-role`} label="Role" hint="Which console the profile's users get." error={errors.fields.role}>
        {(aria) => (
          <select {...aria} value={role} onChange={(e) => setRole(e.currentTarget.value as Role)}>
            {roles.map((candidate) => <option key={candidate} value={candidate}>{roleHints[candidate]}</option>)}
          </select>
        )}
      </Field>
      <PermissionsField idPrefix={prefix} value={permissions} onChange={setPermissions} held={can} error={errors.fields.permissions} />
      <FormError id={`${prefix}-error`} errors={errors} />
      <div class="row">
        <button type="submit" class="primary" disabled={busy}>{profile ? 'Save changes' : 'Create profile'}</button>
        <button type="button" onClick={props.onCancel}>Cancel</button>
      </div>
    </form>
  );
}
