const numbers = new Intl.NumberFormat();
const percents = new Intl.NumberFormat(undefined, { style: 'percent', maximumFractionDigits: 1 });
const dateTimes = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
const times = new Intl.DateTimeFormat(undefined, { timeStyle: 'medium' });

export const formatNumber = (value: number) => numbers.format(value);
export const formatPercent = (ratio: number) => percents.format(ratio);
export const formatDateTime = (iso: string) => dateTimes.format(new Date(iso));
export const formatTime = (iso: string | number) => times.format(new Date(iso));

/** "45 s", "3 min 05 s", "2 h 03 min", "1 d 4 h": precise enough to tick, short enough for a cell. */
export function formatDuration(totalSeconds: number): string {
  const seconds = Math.max(0, Math.floor(totalSeconds));
  const two = (n: number) => String(n).padStart(2, '0');
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${two(seconds % 60)} s`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} h ${two(minutes % 60)} min`;
  return `${Math.floor(hours / 24)} d ${hours % 24} h`;
}

/** Seconds as an ISO 8601 duration, for <time dateTime>. */
export const isoDuration = (totalSeconds: number) => `PT${Math.max(0, Math.floor(totalSeconds))}S`;

/** A report's duration figure: "1 min 30 s", or "None" when nothing was measured. */
export const formatSeconds = (seconds: number | null | undefined) => (seconds === null || seconds === undefined ? 'None' : formatDuration(seconds));
