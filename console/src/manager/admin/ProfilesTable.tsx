import { permissionDescriptions } from './permissions';
import type { Profile } from './types';

/** Built-in profiles (read-only), then the brand's custom ones with an edit button each. */
export function ProfilesTable(props: { profiles: Profile[]; onEdit: (profile: Profile) => void }) {
  return (
    <div class="table-scroll" tabIndex={0} role="region" aria-label="Profiles">
      <table class="admin-table">
        <caption class="visually-hidden">Profiles: built-in first, then custom</caption>
        <thead>
          <tr>
            {['Name', 'Kind', 'Role', 'Permissions', 'Actions'].map((heading) => <th key={heading} scope="col">{heading}</th>)}
          </tr>
        </thead>
        <tbody>
          {props.profiles.map((profile) => (
            <tr key={profile.id}>
              <th scope="row">{profile.name}</th>
              <td>{profile.builtIn ? 'Built-in' : 'Custom'}</td>
              <td>{profile.role}</td>
              <td class="admin-wrap">
                {profile.permissions.length === 0 ? 'None' : (
                  <ul class="admin-list">
                    {profile.permissions.map((permission) => (
                      <li key={permission} title={permissionDescriptions[permission]}>{permission}</li>
                    ))}
                  </ul>
                )}
              </td>
              <td>
                {profile.builtIn ? <span class="hint">Read-only</span> : (
                  <button type="button" onClick={() => props.onEdit(profile)}>
                    Edit<span class="visually-hidden"> {profile.name}</span>
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
