import { useEffect, useState } from 'preact/hooks';
import { get } from '../../api/client';
import type { Availability } from '../../api/types';

export interface AgentTarget {
  id: string;
  name: string;
  availability: Availability;
  queues: string[];
}

export interface TransferTargets {
  agents: AgentTarget[];
  queues: string[];
  loaded: boolean;
  error?: unknown;
}

/** Who and where a conversation can go (GET /api/v1/agents, GET /api/v1/queues), read when `active` turns on. */
export function useTransferTargets(active: boolean): TransferTargets {
  const [targets, setTargets] = useState<TransferTargets>({ agents: [], queues: [], loaded: false });
  useEffect(() => {
    if (!active) return;
    let current = true;
    Promise.all([get<{ items: AgentTarget[] }>('/api/v1/agents'), get<{ items: { queueId: string }[] }>('/api/v1/queues')])
      .then(([agents, queues]) => {
        if (current) setTargets({ agents: agents.items, queues: queues.items.map((queue) => queue.queueId), loaded: true });
      })
      .catch((error: unknown) => {
        if (current) setTargets((before) => ({ ...before, loaded: true, error }));
      });
    return () => void (current = false);
  }, [active]);
  return targets;
}
