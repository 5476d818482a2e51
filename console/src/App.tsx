import { useEffect, useMemo, useState } from 'preact/hooks';
import { get, onUnauthorized, type ApiError } from './api/client';
import type { Me, Permission } from './api/types';
import { LiveStream } from './live/stream';
import { ChangePassword } from './session/ChangePassword';
import { IdleGuard } from './session/idle';
import { forgetSessionMemory } from './session/memory';
import { SessionContext, endSession, readMe, restoreSession, signedOutNotice, type Session } from './session/session';
import { SignIn } from './session/SignIn';
import { Routes } from './shell/Routes';
import { Shell } from './shell/Shell';
import { navigate, usePath } from './shell/router';

type State = { kind: 'loading' } | { kind: 'signedOut'; notice?: string } | { kind: 'signedIn'; me: Me };

export function App() {
  const [state, setState] = useState<State>({ kind: 'loading' });
  const path = usePath();
  const signedOut = (notice?: string) => {
    forgetSessionMemory();
    setState({ kind: 'signedOut', notice });
  };

  useEffect(() => {
    restoreSession()
      .then((me) => setState(me ? { kind: 'signedIn', me } : { kind: 'signedOut' }))
      .catch(() => setState({ kind: 'signedOut', notice: 'The server cannot be reached: reload the page in a moment.' }));
    return onUnauthorized((error: ApiError) => signedOut(signedOutNotice(error)));
  }, []);

  if (state.kind === 'loading') return <p class="loading" role="status">Loading…</p>;
  if (state.kind === 'signedOut') return <SignIn notice={state.notice} onSignedIn={(me) => setState({ kind: 'signedIn', me })} />;
  if (state.me.user.passwordChangeRequired) {
    return <ChangePassword me={state.me} required onChanged={(me) => setState({ kind: 'signedIn', me })} />;
  }
  return <SignedIn me={state.me} path={path} onMe={(me) => setState({ kind: 'signedIn', me })} onSignedOut={signedOut} />;
}

function SignedIn(props: { me: Me; path: string; onMe: (me: Me) => void; onSignedOut: (notice?: string) => void }) {
  const live = useMemo(() => new LiveStream(() => props.onSignedOut('Your session ended. Sign in again.'), () => get('/api/v1/me')), []);
  useEffect(() => {
    live.start();
    return () => live.stop();
  }, [live]);

  const session: Session = {
    me: props.me,
    live,
    can: (permission: Permission) => props.me.permissions.includes(permission),
    refresh: async () => props.onMe(await readMe()),
    signOut: async (notice?: string) => {
      live.stop();
      await endSession();
      props.onSignedOut(notice);
    },
  };

  if (props.path === 'account/password') {
    return (
      <SessionContext.Provider value={session}>
        <ChangePassword me={props.me} required={false} onChanged={(me) => { props.onMe(me); navigate(''); }} onCancel={() => navigate('')} />
      </SessionContext.Provider>
    );
  }
  return (
    <SessionContext.Provider value={session}>
      <Shell path={props.path}>
        <Routes path={props.path} />
      </Shell>
      <IdleGuard idleTimeoutMinutes={props.me.idleTimeoutMinutes} onIdle={() => session.signOut('You were signed out after a period of inactivity.')} />
    </SessionContext.Provider>
  );
}
