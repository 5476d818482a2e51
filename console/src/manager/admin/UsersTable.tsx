import type { User } from '../../api/types';
import { profileRefLabel } from './profile-label';
import type { Profile } from './types';

export interface UserActions {
  edit(user: User): void;
  disable(user: User): void;
  enable(user: User): void;
  unlock(user: User): void;
  resetPassword(user: User): void;
}

const availabilityText = { online: 'Online', away: 'Away', offline: 'Offline' } as const;

/** One button per action, named with the user so each is distinct out of context. */
function Action(props: { label: string; user: User; onClick: () => void; danger?: boolean; disabled?: boolean }) {
  return (
    <button type="button" class={props.danger ? 'danger' : undefined} disabled={props.disabled} onClick={props.onClick}>
      {props.label}
      <span class="visually-hidden"> {props.user.name}</span>
    </button>
  );
}

export function UsersTable(props: { users: User[]; profiles?: Profile[]; busyId?: string; actions: UserActions }) {
  const { actions } = props;
  return (
    <div class="table-scroll" tabIndex={0} role="region" aria-label="Users">
      <table class="admin-table">
        <caption class="visually-hidden">Users of this brand, by email</caption>
        <thead>
          <tr>
            {['Name', 'Email', 'Profile', 'Status', 'Locked', 'Availability', 'Skills', 'Max concurrent', 'Actions'].map((heading) => (
              <th key={heading} scope="col">{heading}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {props.users.map((user) => {
            const busy = props.busyId === user.id;
            return (
              <tr key={user.id}>
                <th scope="row">{user.name}</th>
                <td>{user.email}</td>
                <td>{profileRefLabel(user.profile, props.profiles)}</td>
                <td>
                  {user.status === 'active' ? 'Active' : <strong class="admin-flag">Disabled</strong>}
                  {user.passwordChangeRequired && <span class="hint admin-nowrap"> (password to choose)</span>}
                </td>
                <td>{user.locked ? <strong class="admin-flag">Locked</strong> : 'No'}</td>
                <td>{availabilityText[user.availability]}</td>
                <td class="admin-wrap">{user.skills.length > 0 ? user.skills.join(', ') : 'None'}</td>
                <td>{user.maxConcurrent}</td>
                <td>
                  <div class="admin-actions">
                    <Action label="Edit" user={user} onClick={() => actions.edit(user)} />
                    {user.locked && <Action label="Unlock" user={user} disabled={busy} onClick={() => actions.unlock(user)} />}
                    <Action label="Reset password" user={user} onClick={() => actions.resetPassword(user)} />
                    {user.status === 'active'
                      ? <Action label="Disable" user={user} danger onClick={() => actions.disable(user)} />
                      : <Action label="Enable" user={user} disabled={busy} onClick={() => actions.enable(user)} />}
                  </div>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
