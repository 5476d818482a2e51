import { useEffect, useState } from 'preact/hooks';
import type { ConnectionState } from '../live/stream';
import { useSession } from '../session/session';

const words: Record<ConnectionState, string> = {
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting… updates resume automatically',
};

/** Whether live updates flow; shown at all times so a dropped stream is never silent. */
export function ConnectionBadge() {
  const { live } = useSession();
  const [state, setState] = useState<ConnectionState>(live.state);
  useEffect(() => live.onState(setState), [live]);
  return (
    <span class={`connection connection-${state}`} role="status" data-connection={state}>
      <span class="dot" aria-hidden="true" />
      {words[state]}
    </span>
  );
}
