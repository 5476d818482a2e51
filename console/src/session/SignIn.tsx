import { useState } from 'preact/hooks';
import { ApiError } from '../api/client';
import type { Me } from '../api/types';
import { signIn } from './session';

const brandKey = 'switchboard.console.brand';

function initialBrand(): string {
  return new URLSearchParams(window.location.search).get('brand') ?? window.localStorage.getItem(brandKey) ?? '';
}

function explain(error: unknown): string {
  if (!(error instanceof ApiError)) return 'Something went wrong: try again';
  if (error.code === 'invalid_credentials') {
    return 'Sign-in failed: the brand, email or password is wrong, or the account is locked or disabled. ' +
      'After a few wrong passwords in a row an account locks until an administrator unlocks it.';
  }
  if (error.code === 'rate_limited') return 'Too many attempts from here: wait a minute, then try again.';
  if (error.code === 'validation_failed') return 'Fill in the brand, email and password.';
  return error.message;
}

/** The sign-in page; `notice` says why the previous session ended. */
export function SignIn(props: { notice?: string; onSignedIn: (me: Me) => void }) {
  const [brandId, setBrandId] = useState(initialBrand);
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const me = await signIn({ brandId: brandId.trim(), email, password });
      window.localStorage.setItem(brandKey, brandId.trim());
      setPassword('');
      props.onSignedIn(me);
    } catch (caught) {
      setError(explain(caught));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main class="sign-in" id="main">
      <h1>Switchboard</h1>
      <form onSubmit={submit} class="card stack" aria-describedby={error ? 'sign-in-error' : undefined}>
        <h2>Sign in</h2>
        {props.notice && <p class="notice" role="status">{props.notice}</p>}
        <label>
          Brand
          <input name="brand" value={brandId} onInput={(e) => setBrandId(e.currentTarget.value)} required autoComplete="organization" />
        </label>
        <label>
          Email
          <input name="email" type="email" value={email} onInput={(e) => setEmail(e.currentTarget.value)} required autoComplete="username" />
        </label>
        <label>
          Password
          <input name="password" type="password" value={password} onInput={(e) => setPassword(e.currentTarget.value)} required autoComplete="current-password" />
        </label>
        {error && <p class="error" role="alert" id="sign-in-error">{error}</p>}
        <button type="submit" class="primary" disabled={busy}>{busy ? 'Signing in…' : 'Sign in'}</button>
      </form>
    </main>
  );
}
