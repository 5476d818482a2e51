import { useEffect, useState } from 'preact/hooks';
import { get } from '../api/client';
import { useSession } from '../session/session';

/** Agents' names by user id, for showing people rather than ids; empty when the user may not list agents. */
export function useAgentNames(): ReadonlyMap<string, string> {
  const { can } = useSession();
  const allowed = can('conversation.transfer');
  const [names, setNames] = useState<ReadonlyMap<string, string>>(new Map());
  useEffect(() => {
    if (!allowed) return;
    let stopped = false;
    get<{ items: { id: string; name: string }[] }>('/api/v1/agents')
      .then((agents) => {
        if (!stopped) setNames(new Map(agents.items.map((agent) => [agent.id, agent.name])));
      })
      // Names are a nicety: ids still identify everyone.
      .catch(() => undefined);
    return () => {
      stopped = true;
    };
  }, [allowed]);
  return names;
}
