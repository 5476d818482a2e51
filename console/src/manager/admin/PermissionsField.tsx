import type { Permission } from '../../api/types';
import { describedBy } from './Field';
import { permissionDescriptions, permissionNames, platformOnly } from './permissions';

/**
 * A checkbox per permission. Those the signed-in user lacks cannot be granted (the server refuses
 * them), so they are shown but not offered.
 */
export function PermissionsField(props: { idPrefix: string; value: Permission[]; onChange: (value: Permission[]) => void; held: (permission: Permission) => boolean; error?: string }) {
  const hintId = `${props.idPrefix}-permissions-hint`;
  const errorId = props.error ? `${props.idPrefix}-permissions-error` : undefined;
  const toggle = (permission: Permission, on: boolean) =>
    props.onChange(on ? [...props.value, permission] : props.value.filter((name) => name !== permission));
  return (
    <fieldset class="stack" aria-describedby={describedBy(hintId, errorId)}>
      <legend>Permissions</legend>
      <p class="hint" id={hintId}>You can grant only what you hold yourself; the secure form history is granted per user by the platform administrator.</p>
      <div class="admin-permissions">
        {permissionNames.map((permission) => {
          const grantable = props.held(permission) && !platformOnly.includes(permission);
          return (
            <label key={permission}>
              <input type="checkbox" checked={props.value.includes(permission)} disabled={!grantable}
                onChange={(e) => toggle(permission, e.currentTarget.checked)} />
              <span>
                {permissionDescriptions[permission]} <code>{permission}</code>
                {!grantable && <span class="hint"> (not yours to grant)</span>}
              </span>
            </label>
          );
        })}
      </div>
      {props.error && <p class="error" id={errorId}>{props.error}</p>}
    </fieldset>
  );
}
