import { useEffect, useRef, useState } from 'preact/hooks';
import type { StreamEvent } from '../api/types';
import { useSession } from '../session/session';

export interface LiveData<T> {
  data?: T;
  error?: unknown;
  loading: boolean;
}

export interface LiveDataState<T> extends LiveData<T> {
  reload: () => void;
}

export interface LiveDataOptions {
  /** Which stream events make the data stale. */
  refreshOn: (event: StreamEvent) => boolean;
  /** Re-read on a timer too, for what no event announces (agents' availability). */
  everyMs?: number;
  /** At most one re-read per this many ms, however many events arrive. */
  minGapMs?: number;
}

/**
 * Data read from the API and kept current: re-read when a matching event arrives (throttled), after every
 * reconnection of the stream (events may have been missed) and on a timer. The last good data stays
 * shown when a re-read fails.
 */
export function useLiveData<T>(load: () => Promise<T>, options: LiveDataOptions): LiveDataState<T> {
  const { live } = useSession();
  const [state, setState] = useState<LiveData<T>>({ loading: true });
  const latest = useRef({ load, options });
  latest.current = { load, options };
  const reload = useRef(() => undefined as void);

  useEffect(() => {
    let stopped = false;
    let sequence = 0;
    // A slower, older read never overwrites a newer one; a newer one shows even while later reads are under way.
    let shown = 0;
    let lastStart = 0;
    let pending: number | undefined;
    const minGapMs = latest.current.options.minGapMs ?? 1_000;

    const read = () => {
      pending = undefined;
      lastStart = Date.now();
      const mine = ++sequence;
      latest.current.load().then(
        (data) => {
          if (stopped || mine < shown) return;
          shown = mine;
          setState({ data, loading: false });
        },
        (error: unknown) => {
          if (stopped || mine < shown) return;
          shown = mine;
          setState((previous) => ({ data: previous.data, error, loading: false }));
        },
      );
    };
    const readSoon = () => {
      if (pending !== undefined) return;
      const wait = lastStart + minGapMs - Date.now();
      if (wait <= 0) read();
      else pending = window.setTimeout(read, wait);
    };

    reload.current = () => {
      setState((previous) => ({ ...previous, loading: true }));
      readSoon();
    };
    read();
    const offEvent = live.onEvent((event) => {
      if (latest.current.options.refreshOn(event)) readSoon();
    });
    const offResync = live.onResync(readSoon);
    const everyMs = latest.current.options.everyMs;
    const timer = everyMs ? window.setInterval(readSoon, everyMs) : undefined;
    return () => {
      stopped = true;
      offEvent();
      offResync();
      window.clearTimeout(pending);
      window.clearInterval(timer);
    };
  }, [live]);

  return { ...state, reload: () => reload.current() };
}
