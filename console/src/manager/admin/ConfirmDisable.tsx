import { useState } from 'preact/hooks';
import type { User } from '../../api/types';
import { ErrorNote } from '../../common/ErrorNote';
import { updateUser } from './admin-api';

/** The confirmation before disabling: it ends every session of the user at once. */
export function ConfirmDisable(props: { user: User; isSelf: boolean; onDone: (user: User) => void; onCancel: () => void }) {
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const confirm = async () => {
    setBusy(true);
    setError(undefined);
    try {
      props.onDone(await updateUser(props.user.id, { status: 'disabled' }));
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="stack">
      <p>
        <strong>{props.user.name}</strong> ({props.user.email}) is signed out everywhere at once and cannot sign in until someone enables the
        account again.
        {props.isSelf && ' This is your own account: you will be signed out too.'}
      </p>
      <ErrorNote error={error} />
      <div class="row">
        <button type="button" class="danger" disabled={busy} onClick={confirm}>Disable {props.user.name}</button>
        <button type="button" onClick={props.onCancel} autoFocus>Cancel</button>
      </div>
    </div>
  );
}
