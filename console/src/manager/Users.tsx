import { useState } from 'preact/hooks';
import type { User } from '../api/types';
import { announce } from '../common/announcer';
import { Dialog } from '../common/Dialog';
import { ErrorNote } from '../common/ErrorNote';
import { useSession } from '../session/session';
import { getPolicy, listProfiles, listQueueIds, listUsers, unlockUser, updateUser } from './admin/admin-api';
import { ConfirmDisable } from './admin/ConfirmDisable';
import { LoadState } from './admin/LoadState';
import { ResetPasswordForm } from './admin/ResetPasswordForm';
import { useResource } from './admin/useResource';
import { UserForm, type UserFormContext } from './admin/UserForm';
import { UsersTable } from './admin/UsersTable';
import './admin/admin.css';

type Open = { kind: 'create' } | { kind: 'edit' | 'reset' | 'disable'; user: User };

async function loadFormContext(): Promise<Omit<UserFormContext, 'canChangeQueues'>> {
  const [profiles, queueIds, policy] = await Promise.all([listProfiles(), listQueueIds(), getPolicy().catch(() => undefined)]);
  return { profiles, queueIds, policy };
}

/** The brand's users: create, edit, disable or enable, unlock, reset a password (users.manage). */
export function Users() {
  const session = useSession();
  const users = useResource(listUsers);
  const formContext = useResource(loadFormContext);
  const [open, setOpen] = useState<Open>();
  const [busyId, setBusyId] = useState<string>();
  const [actionError, setActionError] = useState<unknown>();
  const [done, setDone] = useState<string>();
  const context = formContext.data && { ...formContext.data, canChangeQueues: session.can('queues.manage') };
  const isSelf = (user: User) => user.id === session.me.user.id;

  const closeIf = (kind: Open['kind']) => () => setOpen((current) => (current?.kind === kind ? undefined : current));
  const finish = (message: string, changed?: User) => {
    setOpen(undefined);
    setActionError(undefined);
    setDone(message);
    announce(message);
    if (changed && users.data?.some((user) => user.id === changed.id)) users.replace(users.data.map((user) => (user.id === changed.id ? changed : user)));
    else void users.reload();
  };
  const run = async (user: User, action: () => Promise<User>, message: string) => {
    setBusyId(user.id);
    try {
      finish(message, await action());
    } catch (caught) {
      setDone(undefined);
      setActionError(caught);
    } finally {
      setBusyId(undefined);
    }
  };

  const actions = {
    edit: (user: User) => setOpen({ kind: 'edit', user }),
    disable: (user: User) => setOpen({ kind: 'disable', user }),
    resetPassword: (user: User) => setOpen({ kind: 'reset', user }),
    enable: (user: User) => run(user, () => updateUser(user.id, { status: 'active' }), `${user.name} is enabled and can sign in again.`),
    unlock: (user: User) => run(user, () => unlockUser(user.id), `${user.name} is unlocked and can sign in again.`),
  };

  return (
    <section class="admin-page stack">
      <div class="row admin-heading">
        <h1>Users</h1>
        <button type="button" class="primary" disabled={!context} onClick={() => setOpen({ kind: 'create' })}>Create a user</button>
      </div>
      {formContext.error !== undefined && !context && <ErrorNote error={formContext.error} />}
      {done && <p class="admin-done">{done}</p>}
      <ErrorNote error={actionError} />
      <LoadState resource={users} what="users">
        {(items) => (items.length === 0
          ? <p>This brand has no users yet.</p>
          : <UsersTable users={items} profiles={context?.profiles} busyId={busyId} actions={actions} />)}
      </LoadState>

      <Dialog title="Create a user" open={open?.kind === 'create'} onClose={closeIf('create')}>
        {context && (
          <UserForm context={context} onCancel={() => setOpen(undefined)}
            onSaved={(user) => finish(`${user.name} is created. They must choose their own password at first sign-in.`)} />
        )}
      </Dialog>
      <Dialog title="Edit user" open={open?.kind === 'edit'} onClose={closeIf('edit')}>
        {context && open?.kind === 'edit' && (
          <UserForm user={open.user} isSelf={isSelf(open.user)} context={context} onCancel={() => setOpen(undefined)}
            onSaved={(user) => finish(`${user.name} is saved.`, user)} />
        )}
      </Dialog>
      <Dialog title="Reset password" open={open?.kind === 'reset'} onClose={closeIf('reset')}>
        {open?.kind === 'reset' && (
          <ResetPasswordForm user={open.user} minPasswordLength={context?.policy?.minPasswordLength} onCancel={() => setOpen(undefined)}
            onDone={(user) => finish(`${user.name} has a temporary password and must choose their own at their next sign-in.`, user)} />
        )}
      </Dialog>
      <Dialog title="Disable user" role="alertdialog" open={open?.kind === 'disable'} onClose={closeIf('disable')}>
        {open?.kind === 'disable' && (
          <ConfirmDisable user={open.user} isSelf={isSelf(open.user)} onCancel={() => setOpen(undefined)}
            onDone={(user) => finish(`${user.name} is disabled and signed out everywhere.`, user)} />
        )}
      </Dialog>
    </section>
  );
}
