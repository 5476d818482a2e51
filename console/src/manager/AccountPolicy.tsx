import { useSession } from '../session/session';
import { getPolicy } from './admin/admin-api';
import { LoadState } from './admin/LoadState';
import { PolicyForm } from './admin/PolicyForm';
import { useResource } from './admin/useResource';
import './admin/admin.css';

/** The brand's password, lock and idle rules (users.manage). */
export function AccountPolicy() {
  const session = useSession();
  const policy = useResource(getPolicy);
  return (
    <section class="admin-page stack">
      <h1>Account policy</h1>
      <p class="hint">The rules for every user of this brand. The bounds are PCI DSS v4.0's: the server refuses values outside them.</p>
      <LoadState resource={policy} what="account policy">
        {(current) => (
          <PolicyForm policy={current} onSaved={(saved) => {
            policy.replace(saved);
            // The idle timeout of this very session follows the new policy.
            void session.refresh().catch(() => undefined);
          }} />
        )}
      </LoadState>
    </section>
  );
}
