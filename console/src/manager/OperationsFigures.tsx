import { formatNumber, formatPercent } from './format';
import type { RealtimeReport } from './report-types';

function deliveryText(delivery: RealtimeReport['delivery']): string {
  if (delivery.failureRate === null) return 'No messages sent';
  return `${formatPercent(delivery.failureRate)} (${formatNumber(delivery.failed)} of ${formatNumber(delivery.outbound)})`;
}

/** The brand at a glance: what waits, what is open, who is there, whether messages get through. */
export function OperationsFigures(props: { report: RealtimeReport }) {
  const { report } = props;
  const waiting = report.queues.reduce((sum, queue) => sum + queue.waiting, 0);
  return (
    <dl class="figures">
      <div class="figure">
        <dt>Waiting</dt>
        <dd>{formatNumber(waiting)}</dd>
      </div>
      <div class="figure">
        <dt>Open conversations</dt>
        <dd>{formatNumber(report.activeConversations)}</dd>
      </div>
      <div class="figure">
        <dt>Agents online</dt>
        <dd>{formatNumber(report.agents.online)}</dd>
      </div>
      <div class="figure">
        <dt>Agents away</dt>
        <dd>{formatNumber(report.agents.away)}</dd>
      </div>
      <div class="figure">
        <dt>Delivery failures, last {report.delivery.windowMinutes} min</dt>
        <dd class={report.delivery.failureRate === null ? 'figure-text' : undefined}>{deliveryText(report.delivery)}</dd>
      </div>
    </dl>
  );
}
