import { useEffect, useState } from 'preact/hooks';

/** The time now, renewed every `everyMs`: one timer for a whole list or table, not one per row. */
export function useNow(everyMs: number): number {
  const [now, setNow] = useState(Date.now);
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), everyMs);
    return () => window.clearInterval(timer);
  }, [everyMs]);
  return now;
}
