import { useEffect, useRef, useState } from 'preact/hooks';
import type { FormStatus } from './types';

export type OffRecordPhase = 'none' | 'kept' | 'gone';

/**
 * Where a form's off-the-record answers stand: 'kept' (with the time left, re-rendered every
 * second), 'gone' once the server says so or their time passed, 'none' without any.
 * `endedWhileShown` tells a countdown that ran out here from one that was over already.
 */
export function useOffRecordClock(form: FormStatus) {
  const expiresAt = form.status === 'submitted' && form.offRecordExpiresAt ? Date.parse(form.offRecordExpiresAt) : undefined;
  const [tick, setTick] = useState(0);
  const now = Date.now();
  const counting = expiresAt !== undefined && !form.offRecordExpired && now < expiresAt;
  const sawKept = useRef(false);

  useEffect(() => {
    if (!counting || expiresAt === undefined) return;
    // The next whole second, or the very end: the answers vanish on time, not up to a second late.
    const wait = Math.min(1000 - (now % 1000), expiresAt - now);
    const timer = window.setTimeout(() => setTick((count) => count + 1), Math.max(0, wait));
    return () => window.clearTimeout(timer);
  }, [counting, expiresAt, tick]);

  const phase: OffRecordPhase = expiresAt === undefined ? 'none' : counting ? 'kept' : 'gone';
  if (phase === 'kept') sawKept.current = true;
  return {
    phase,
    expiresAt,
    remainingMs: expiresAt === undefined ? 0 : Math.max(0, expiresAt - now),
    endedWhileShown: phase === 'gone' && sawKept.current,
  };
}

/** 83_000 → "1:23" */
export function minutesAndSeconds(ms: number): string {
  const seconds = Math.ceil(ms / 1000);
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}
