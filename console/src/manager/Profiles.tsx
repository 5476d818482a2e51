import { useState } from 'preact/hooks';
import { announce } from '../common/announcer';
import { Dialog } from '../common/Dialog';
import { listProfiles } from './admin/admin-api';
import { LoadState } from './admin/LoadState';
import { ProfileForm } from './admin/ProfileForm';
import { ProfilesTable } from './admin/ProfilesTable';
import type { Profile } from './admin/types';
import { useResource } from './admin/useResource';
import './admin/admin.css';

type Open = { kind: 'create' } | { kind: 'edit'; profile: Profile };

/** Built-in and custom profiles: what each grants; custom ones are created and changed here (users.manage). */
export function Profiles() {
  const profiles = useResource(listProfiles);
  const [open, setOpen] = useState<Open>();
  const [done, setDone] = useState<string>();
  const closeIf = (kind: Open['kind']) => () => setOpen((current) => (current?.kind === kind ? undefined : current));
  const finish = (message: string) => {
    setOpen(undefined);
    setDone(message);
    announce(message);
    void profiles.reload();
  };

  return (
    <section class="admin-page stack">
      <div class="row admin-heading">
        <h1>Profiles</h1>
        <button type="button" class="primary" onClick={() => setOpen({ kind: 'create' })}>Create a profile</button>
      </div>
      <p class="hint">
        A profile is what a user may do. The built-in agent, manager and admin profiles do not change; create a custom profile for anything else.
      </p>
      {done && <p class="admin-done">{done}</p>}
      <LoadState resource={profiles} what="profiles">
        {(items) => (items.length === 0 ? <p>No profiles.</p> : <ProfilesTable profiles={items} onEdit={(profile) => setOpen({ kind: 'edit', profile })} />)}
      </LoadState>

      <Dialog title="Create a profile" open={open?.kind === 'create'} onClose={closeIf('create')}>
        <ProfileForm onCancel={() => setOpen(undefined)} onSaved={(profile) => finish(`Profile ${profile.name} is created.`)} />
      </Dialog>
      <Dialog title="Edit profile" open={open?.kind === 'edit'} onClose={closeIf('edit')}>
        {open?.kind === 'edit' && (
          <ProfileForm profile={open.profile} onCancel={() => setOpen(undefined)} onSaved={(profile) => finish(`Profile ${profile.name} is saved.`)} />
        )}
      </Dialog>
    </section>
  );
}
