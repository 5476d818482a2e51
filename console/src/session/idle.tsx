import { useEffect, useRef, useState } from 'preact/hooks';
import { get } from '../api/client';
import { Dialog } from '../common/Dialog';

const warningMs = 60_000;
const keepAliveEveryMs = 60_000;
const activityEvents = ['pointerdown', 'keydown', 'wheel', 'touchstart'] as const;

/**
 * Signs out after the brand's idle timeout (PCI DSS 8.2.8), warning a minute before. While the
 * agent is active the server session is kept alive by a GET /me at most once a minute, so the
 * server's idle clock and this one agree.
 */
export function IdleGuard(props: { idleTimeoutMinutes: number; onIdle: () => void }) {
  const timeoutMs = props.idleTimeoutMinutes * 60_000;
  const lastActivity = useRef(Date.now());
  const lastKeepAlive = useRef(Date.now());
  const [secondsLeft, setSecondsLeft] = useState<number>();

  useEffect(() => {
    const active = () => {
      lastActivity.current = Date.now();
      if (Date.now() - lastKeepAlive.current > keepAliveEveryMs) {
        lastKeepAlive.current = Date.now();
        get('/api/v1/me').catch(() => undefined);
      }
    };
    for (const type of activityEvents) window.addEventListener(type, active, { passive: true });
    const timer = window.setInterval(() => {
      const left = timeoutMs - (Date.now() - lastActivity.current);
      if (left <= 0) {
        window.clearInterval(timer);
        props.onIdle();
      } else {
        setSecondsLeft(left <= warningMs ? Math.ceil(left / 1000) : undefined);
      }
    }, 1_000);
    return () => {
      window.clearInterval(timer);
      for (const type of activityEvents) window.removeEventListener(type, active);
    };
  }, [timeoutMs]);

  const stay = () => {
    lastActivity.current = Date.now();
    lastKeepAlive.current = Date.now();
    get('/api/v1/me').catch(() => undefined);
    setSecondsLeft(undefined);
  };

  return (
    <Dialog title="Still there?" open={secondsLeft !== undefined} onClose={stay} role="alertdialog">
      <p>
        You will be signed out in <strong>{secondsLeft}</strong> seconds because you have been inactive for a while.
      </p>
      <div class="row">
        <button type="button" class="primary" onClick={stay} autoFocus>Stay signed in</button>
        <button type="button" onClick={props.onIdle}>Sign out now</button>
      </div>
    </Dialog>
  );
}
