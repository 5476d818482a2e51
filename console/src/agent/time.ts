const relative = new Intl.RelativeTimeFormat('en', { numeric: 'auto', style: 'long' });
const exact = new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'medium' });
const steps: [Intl.RelativeTimeFormatUnit, number][] = [['second', 60], ['minute', 60], ['hour', 24], ['day', 7], ['week', 4.35], ['month', 12], ['year', Infinity]];

/** "5 minutes ago", "yesterday"; under a minute: "just now". */
export function relativeTime(iso: string, now: number): string {
  let amount = (Date.parse(iso) - now) / 1000;
  if (Math.abs(amount) < 60) return 'just now';
  for (const [unit, size] of steps) {
    if (Math.abs(amount) < size) return relative.format(Math.round(amount), unit);
    amount /= size;
  }
  return exact.format(new Date(iso));
}

export function exactTime(iso: string): string {
  return exact.format(new Date(iso));
}
