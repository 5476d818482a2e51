import { useState } from 'preact/hooks';
import { ApiError } from '../api/client';
import type { Me } from '../api/types';
import { changePassword } from './session';

function explain(error: unknown): string {
  if (!(error instanceof ApiError)) return 'Something went wrong: try again';
  if (error.code === 'wrong_password') return 'The current password is wrong. Wrong passwords count towards the account lock.';
  return error.message;
}

/** Choosing one's own password: required at first use of a password an administrator set. */
export function ChangePassword(props: { me: Me; required: boolean; onChanged: (me: Me) => void; onCancel?: () => void }) {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [confirm, setConfirm] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    if (next !== confirm) return setError('The new password and its confirmation differ.');
    setBusy(true);
    setError(undefined);
    try {
      props.onChanged(await changePassword(current, next));
    } catch (caught) {
      setError(explain(caught));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main class="sign-in" id="main">
      <h1>Switchboard</h1>
      <form onSubmit={submit} class="card stack">
        <h2>Choose your password</h2>
        {props.required && (
          <p class="notice" role="status">
            An administrator set your password. Choose your own to continue; it may not be one of your last four.
          </p>
        )}
        <label>
          Current password
          <input type="password" value={current} onInput={(e) => setCurrent(e.currentTarget.value)} required autoComplete="current-password" />
        </label>
        <label>
          New password
          <input type="password" value={next} onInput={(e) => setNext(e.currentTarget.value)} required autoComplete="new-password" aria-describedby="password-rule" />
        </label>
        <p id="password-rule" class="hint">At least 12 characters (your brand may ask for more).</p>
        <label>
          New password again
          <input type="password" value={confirm} onInput={(e) => setConfirm(e.currentTarget.value)} required autoComplete="new-password" />
        </label>
        {error && <p class="error" role="alert">{error}</p>}
        <div class="row">
          <button type="submit" class="primary" disabled={busy}>Change password</button>
          {props.onCancel && <button type="button" onClick={props.onCancel}>Cancel</button>}
        </div>
      </form>
    </main>
  );
}
