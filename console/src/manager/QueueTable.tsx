import { formatNumber } from './format';
import type { QueueRow } from './operations';
import { TableScroll } from './PageStates';
import { useNow } from '../common/useNow';
import { WaitedFor } from './WaitedFor';

/** One row per queue: what waits (the oldest wait ticks), who works it, which entry points feed it. */
export function QueueTable(props: { rows: QueueRow[]; skewMs: number; withAgents: boolean }) {
  const now = useNow(1_000);
  if (!props.rows.length) return <p class="hint">No queues yet: no entry point feeds one and nothing waits.</p>;
  return (
    <TableScroll label="Queues">
      <table class="numbers">
        <thead>
          <tr>
            <th scope="col">Queue</th>
            <th scope="col">Waiting</th>
            <th scope="col">Oldest waiting</th>
            {props.withAgents && (
              <>
                <th scope="col">Agents online</th>
                <th scope="col">Agents away</th>
                <th scope="col">Agents total</th>
                <th scope="col">Entry points</th>
              </>
            )}
          </tr>
        </thead>
        <tbody>
          {props.rows.map((row) => (
            <tr key={row.queueId}>
              <th scope="row">{row.queueId}</th>
              <td>{formatNumber(row.waiting)}</td>
              <td>{row.oldestWaitingSince ? <WaitedFor since={row.oldestWaitingSince} now={now} skewMs={props.skewMs} /> : 'None'}</td>
              {props.withAgents && (
                <>
                  <td>{row.agents ? formatNumber(row.agents.online) : 'Unknown'}</td>
                  <td>{row.agents ? formatNumber(row.agents.away) : 'Unknown'}</td>
                  <td>{row.agents ? formatNumber(row.agents.total) : 'Unknown'}</td>
                  <td class="text">{row.entryPoints?.length ? row.entryPoints.join(', ') : 'None'}</td>
                </>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}
