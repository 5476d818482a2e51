import { formatDuration, isoDuration } from './format';

/** How long something has waited since `since`, as of `now` on the server's clock. */
export function WaitedFor(props: { since: string; now: number; skewMs: number }) {
  const seconds = (props.now + props.skewMs - Date.parse(props.since)) / 1000;
  return <time dateTime={isoDuration(seconds)}>{formatDuration(seconds)}</time>;
}
