import { formatNumber, formatSeconds } from './format';
import { TableScroll } from './PageStates';
import type { ReportSummary } from './report-types';

function Figure(props: { term: string; value: string; note?: string }) {
  return (
    <div class="figure">
      <dt>{props.term}</dt>
      <dd>
        {props.value}
        {props.note && <span class="hint"> {props.note}</span>}
      </dd>
    </div>
  );
}

const measured = (count: number) => (count === 1 ? '(1 measured)' : `(${formatNumber(count)} measured)`);

/** The range's service figures, and who handled how many conversations. */
export function SummaryFigures(props: { summary: ReportSummary; agentNames: ReadonlyMap<string, string> }) {
  const { summary } = props;
  return (
    <div class="stack">
      <dl class="figures">
        <Figure term="First response, average" value={formatSeconds(summary.firstResponse.averageSeconds)} note={measured(summary.firstResponse.count)} />
        <Figure term="First response, median" value={formatSeconds(summary.firstResponse.medianSeconds)} />
        <Figure term="Handle time, average" value={formatSeconds(summary.handleTime.averageSeconds)} note={measured(summary.handleTime.count)} />
        <Figure term="Messages delivered" value={formatNumber(summary.messages.delivered)} />
        <Figure term="Messages failed" value={formatNumber(summary.messages.failed)} />
        <Figure term="Messages not yet confirmed" value={formatNumber(summary.messages.other)} />
        <Figure term="Secure forms sent" value={formatNumber(summary.secureForms.sent)} />
        <Figure term="Secure forms submitted" value={formatNumber(summary.secureForms.submitted)} />
        <Figure term="Secure forms expired" value={formatNumber(summary.secureForms.expired)} />
      </dl>
      <h3>Conversations opened, by agent</h3>
      <TableScroll label="Conversations opened, by agent">
        <table class="numbers">
          <thead>
            <tr>
              <th scope="col">Agent</th>
              <th scope="col">Conversations</th>
            </tr>
          </thead>
          <tbody>
            {summary.conversationsPerAgent.map((row) => (
              <tr key={row.agentId}>
                <th scope="row">{props.agentNames.get(row.agentId) ?? row.agentId}</th>
                <td>{formatNumber(row.conversations)}</td>
              </tr>
            ))}
            <tr>
              <th scope="row">Not assigned</th>
              <td>{formatNumber(summary.unassignedConversations)}</td>
            </tr>
          </tbody>
        </table>
      </TableScroll>
    </div>
  );
}
