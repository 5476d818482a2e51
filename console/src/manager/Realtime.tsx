import { useEffect, useRef } from 'preact/hooks';
import { announce } from '../common/announcer';
import { ErrorNote } from '../common/ErrorNote';
import { useSession } from '../session/session';
import { formatTime } from './format';
import { loadOperations, queueRows } from './operations';
import { OperationsFigures } from './OperationsFigures';
import { LoadFailed, Loading } from './PageStates';
import { QueueTable } from './QueueTable';
import { AgentTable } from './AgentTable';
import { useLiveData } from './useLiveData';
import './manager.css';

/** Availability changes raise no event: re-read this often for it. */
const availabilityRefreshMs = 15_000;

/** Real-time operations: queues and what waits in them, open conversations, agents' availability and load, delivery failures. */
export function Realtime() {
  const { can } = useSession();
  const access = { queues: can('conversation.view'), agents: can('conversation.transfer') };
  const operations = useLiveData(() => loadOperations(access), {
    refreshOn: (event) => event.type.startsWith('conversation.'),
    everyMs: availabilityRefreshMs,
  });
  useAnnounceWaiting(operations.data?.report.queues);
  const data = operations.data;

  return (
    <section class="stack manager-page">
      <h1>Operations</h1>
      {!data && operations.loading && <Loading what="operations" />}
      {!data && !operations.loading && operations.error !== undefined && <LoadFailed error={operations.error} onRetry={operations.reload} />}
      {data && (
        <>
          <p class="hint">Updated at {formatTime(data.report.at)}; updates as conversations arrive.</p>
          {operations.error !== undefined && <ErrorNote error={operations.error} />}
          <h2 class="visually-hidden">Now</h2>
          <OperationsFigures report={data.report} />
          <h2>Queues</h2>
          <QueueTable rows={queueRows(data)} skewMs={data.skewMs} withAgents={data.queues !== undefined} />
          {data.agents && (
            <>
              <h2>Agents</h2>
              <AgentTable agents={data.agents} />
            </>
          )}
        </>
      )}
    </section>
  );
}

/** Says politely when the number of waiting conversations changes (not on the first read). */
function useAnnounceWaiting(queues: { waiting: number }[] | undefined) {
  const previous = useRef<number | undefined>(undefined);
  const total = queues?.reduce((sum, queue) => sum + queue.waiting, 0);
  useEffect(() => {
    if (total === undefined) return;
    if (previous.current !== undefined && previous.current !== total) {
      announce(total === 1 ? '1 conversation waiting' : `${total} conversations waiting`);
    }
    previous.current = total;
  }, [total]);
}
