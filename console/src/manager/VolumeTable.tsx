import { formatNumber } from './format';
import { TableScroll } from './PageStates';
import type { Granularity, GroupBy, VolumeRow } from './report-types';
import { bucketText, groupByLabels } from './report-query';
import { totals } from './volumes';

/** Every row of the volumes report, with totals: the accessible equivalent of the chart. */
export function VolumeTable(props: { rows: VolumeRow[]; granularity: Granularity; groupBy: GroupBy }) {
  const sum = totals(props.rows);
  return (
    <TableScroll label="Volumes table">
      <table class="numbers">
        <thead>
          <tr>
            <th scope="col">{props.granularity === 'day' ? 'Day' : 'Hour'}</th>
            <th scope="col">{groupByLabels[props.groupBy]}</th>
            <th scope="col">Conversations opened</th>
            <th scope="col">Messages received</th>
            <th scope="col">Messages sent</th>
          </tr>
        </thead>
        <tbody>
          {props.rows.map((row) => (
            <tr key={`${row.start}|${row.group}`}>
              <td class="text"><time dateTime={row.start}>{bucketText(row.bucket, props.granularity)}</time></td>
              <td class="text">{row.group}</td>
              <td>{formatNumber(row.conversationsOpened)}</td>
              <td>{formatNumber(row.messagesInbound)}</td>
              <td>{formatNumber(row.messagesOutbound)}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row" colSpan={2}>Total</th>
            <td>{formatNumber(sum.conversationsOpened)}</td>
            <td>{formatNumber(sum.messagesInbound)}</td>
            <td>{formatNumber(sum.messagesOutbound)}</td>
          </tr>
        </tfoot>
      </table>
    </TableScroll>
  );
}
