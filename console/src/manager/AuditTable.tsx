import { formatDateTime } from './format';
import { TableScroll } from './PageStates';
import type { AuditEntry } from './report-types';

/** A person's name when known, always with the kind and id (what the API filters by). */
function Who(props: { kind: string; id?: string; names: ReadonlyMap<string, string> }) {
  if (!props.id) return <>{props.kind}</>;
  const name = props.kind === 'user' ? props.names.get(props.id) : undefined;
  const reference = `${props.kind} ${props.id}`;
  if (!name) return <>{reference}</>;
  return (
    <>
      {name}
      <span class="hint small-line">{reference}</span>
    </>
  );
}

/** Audit entries, newest first. */
export function AuditTable(props: { entries: AuditEntry[]; names: ReadonlyMap<string, string> }) {
  return (
    <TableScroll label="Audit entries">
      <table class="audit">
        <thead>
          <tr>
            <th scope="col">Time</th>
            <th scope="col">Action</th>
            <th scope="col">Actor</th>
            <th scope="col">Target</th>
            <th scope="col">Source</th>
          </tr>
        </thead>
        <tbody>
          {props.entries.map((entry) => (
            <tr key={entry.id}>
              <td><time dateTime={entry.at}>{formatDateTime(entry.at)}</time></td>
              <td><code>{entry.action}</code></td>
              <td class="wrap"><Who kind={entry.actor.kind} id={entry.actor.id} names={props.names} /></td>
              <td class="wrap">{entry.target ? <Who kind={entry.target.kind} id={entry.target.id} names={props.names} /> : 'None'}</td>
              <td class="wrap">
                {entry.source ? (
                  <>
                    {entry.source.ip ?? 'Unknown address'}
                    <span class="hint small-line">request {entry.source.requestId}</span>
                  </>
                ) : (
                  'A workflow or schedule'
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}
