import { Workspace } from '../agent/Workspace';
import { AuditLog } from '../manager/AuditLog';
import { AccountPolicy } from '../manager/AccountPolicy';
import { Profiles } from '../manager/Profiles';
import { Realtime } from '../manager/Realtime';
import { Reports } from '../manager/Reports';
import { Users } from '../manager/Users';
import { useSession } from '../session/session';
import { match } from './router';

/** Which page a path below /console/ shows. */
export function Routes(props: { path: string }) {
  const { can } = useSession();
  const path = props.path.replace(/\/$/, '');
  const conversation = match('conversations/:conversationId', path);
  if (conversation) return <Workspace conversationId={conversation.conversationId} />;
  if (path === 'conversations' || (path === '' && can('conversation.view'))) return <Workspace />;
  if (path === 'manager' || path === '') return <Realtime />;
  if (path === 'manager/reports') return <Reports />;
  if (path === 'manager/audit') return <AuditLog />;
  if (path === 'manager/users') return <Users />;
  if (path === 'manager/profiles') return <Profiles />;
  if (path === 'manager/policy') return <AccountPolicy />;
  return (
    <section>
      <h1>Not found</h1>
      <p>There is no page here.</p>
    </section>
  );
}
