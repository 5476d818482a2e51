import { useState } from 'preact/hooks';
import type { User } from '../../api/types';
import { createUser, updateUser, type UserChanges } from './admin-api';
import { Field, FormError, useFocusFirstInvalid } from './Field';
import { formErrorsOf, noErrors, type FormErrors } from './form-errors';
import { numberOrNull } from './form-values';
import { profileLabel } from './profile-label';
import { sameSkills, skillsDraft, skillsOf } from './skills';
import { SkillsField } from './SkillsField';
import type { Policy, Profile } from './types';

const fieldNames = ['email', 'name', 'profile', 'password', 'skills', 'maxConcurrent'] as const;

export interface UserFormContext {
  profiles: Profile[];
  queueIds: string[];
  policy?: Policy;
  canChangeQueues: boolean;
}

/** Creates a user (with a temporary password), or edits one's name, profile, skills and capacity. */
export function UserForm(props: { user?: User; isSelf?: boolean; context: UserFormContext; onSaved: (user: User) => void; onCancel: () => void }) {
  const { user, context } = props;
  const prefix = user ? 'edit-user' : 'new-user';
  const [email, setEmail] = useState('');
  const [name, setName] = useState(user?.name ?? '');
  const [profile, setProfile] = useState(user?.profile ?? 'agent');
  const [password, setPassword] = useState('');
  const [skills, setSkills] = useState(skillsDraft(user?.skills ?? [], context.queueIds));
  const [maxConcurrent, setMaxConcurrent] = useState(String(user?.maxConcurrent ?? 3));
  const [errors, setErrors] = useState<FormErrors>(noErrors);
  const [busy, setBusy] = useState(false);
  const form = useFocusFirstInvalid(errors);

  const save = () => {
    const capacity = numberOrNull(maxConcurrent);
    if (!user) {
      const chosenSkills = context.canChangeQueues ? skillsOf(skills) : [];
      return createUser({ email, name, profile, password, skills: chosenSkills, maxConcurrent: capacity });
    }
    const changes: UserChanges = {};
    if (name !== user.name) changes.name = name;
    if (profile !== user.profile) changes.profile = profile;
    if (!sameSkills(skillsOf(skills), user.skills)) changes.skills = skillsOf(skills);
    if (capacity !== user.maxConcurrent) changes.maxConcurrent = capacity;
    return updateUser(user.id, changes);
  };

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    try {
      props.onSaved(await save());
    } catch (caught) {
      setErrors(formErrorsOf(caught, fieldNames));
    } finally {
      setBusy(false);
    }
  };

  const knownProfile = context.profiles.some((candidate) => candidate.ref === profile);
  return (
    <form ref={form} class="stack admin-form" noValidate onSubmit={submit} aria-describedby={errors.form ? `${prefix}-error` : undefined}>
      {user ? (
        <p class="hint">Email: {user.email} (it does not change)</p>
      ) : (
        <Field id={`${prefix}-email`} label="Email" error={errors.fields.email}>
          {(aria) => <input {...aria} type="email" value={email} required autoComplete="off" spellcheck={false} onInput={(e) => setEmail(e.currentTarget.value)} />}
        </Field>
      )}
      <Field id={`${prefix}-name`} label="Name" error={errors.fields.name}>
        {(aria) => <input {...aria} value={name} required autoComplete="off" onInput={(e) => setName(e.currentTarget.value)} />}
      </Field>
      <Field id={`${prefix}-profile`} label="Profile" error={errors.fields.profile}
        hint={props.isSelf ? 'Nobody changes their own profile: another administrator does.' : 'What the user may do. You can give only a profile whose permissions you hold.'}>
        {(aria) => (
          <select {...aria} value={profile} disabled={props.isSelf} onChange={(e) => setProfile(e.currentTarget.value)}>
            {!knownProfile && <option value={profile}>{profile}</option>}
            {context.profiles.map((candidate) => <option key={candidate.ref} value={candidate.ref}>{profileLabel(candidate)}</option>)}
          </select>
        )}
      </Field>
      {!user && (
        <Field id={`${prefix}-password`} label="Temporary password" error={errors.fields.password}
          hint={`At least ${context.policy?.minPasswordLength ?? 12} characters. Tell it to the user privately: they must choose their own password at first sign-in.`}>
          {(aria) => <input {...aria} type="password" value={password} required autoComplete="new-password" onInput={(e) => setPassword(e.currentTarget.value)} />}
        </Field>
      )}
      <SkillsField idPrefix={prefix} queueIds={context.queueIds} draft={skills} onChange={setSkills} error={errors.fields.skills}
        disabledReason={context.canChangeQueues ? undefined : 'Changing queues needs the queues.manage permission.'} />
      <Field id={`${prefix}-max-concurrent`} label="Maximum concurrent conversations" hint="1 to 50." error={errors.fields.maxConcurrent}>
        {(aria) => <input {...aria} type="number" min={1} max={50} inputMode="numeric" value={maxConcurrent} onInput={(e) => setMaxConcurrent(e.currentTarget.value)} />}
      </Field>
      <FormError id={`${prefix}-error`} errors={errors} />
      <div class="row">
        <button type="submit" class="primary" disabled={busy}>{user ? 'Save changes' : 'Create user'}</button>
        <button type="button" onClick={props.onCancel}>Cancel</button>
      </div>
    </form>
  );
}
