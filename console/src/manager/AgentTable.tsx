import { formatNumber } from './format';
import type { AgentLoad } from './operations';
import { TableScroll } from './PageStates';

const availabilityWords = { online: 'Online', away: 'Away', offline: 'Offline' } as const;

/** One row per agent: availability and load (open conversations assigned now, against their maximum). */
export function AgentTable(props: { agents: AgentLoad[] }) {
  if (!props.agents.length) return <p class="hint">No agents yet: create users with a profile that takes conversations.</p>;
  return (
    <TableScroll label="Agents">
      <table class="numbers">
        <thead>
          <tr>
            <th scope="col">Agent</th>
            <th scope="col">Availability</th>
            <th scope="col">Conversations</th>
            <th scope="col">Maximum</th>
            <th scope="col">Queues</th>
          </tr>
        </thead>
        <tbody>
          {props.agents.map((agent) => (
            <tr key={agent.id} data-agent={agent.id}>
              <th scope="row">{agent.name}</th>
              <td class="text">{availabilityWords[agent.availability]}</td>
              <td>{formatNumber(agent.activeConversations)}</td>
              <td>{formatNumber(agent.maxConcurrent)}</td>
              <td class="text">{agent.queues.length ? agent.queues.join(', ') : 'None'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}
