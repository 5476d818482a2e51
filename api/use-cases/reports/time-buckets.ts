import { ValidationError } from '../../errors.js';

export type Granularity = 'hour' | 'day';

export interface ReportRange {
  from: Date;
  to: Date;
}

const maxRangeMs = 366 * 24 * 3600_000;
export const isoInstant = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

function instant(name: string, value: string): Date {
  const date = new Date(value);
  if (!isoInstant.test(value) || Number.isNaN(date.getTime())) {
    throw new ValidationError({ message: `${name} must be an ISO 8601 date-time with a zone (e.g. 2026-03-29T00:00:00Z)`, code: 'invalid_range' });
  }
  return date;
}

/** [from, to): to after from, at most 366 days. */
export function parseRange(from: string, to: string): ReportRange {
  const range = { from: instant('from', from), to: instant('to', to) };
  if (range.to.getTime() <= range.from.getTime()) throw new ValidationError({ message: 'to must be after from', code: 'invalid_range' });
  if (range.to.getTime() - range.from.getTime() > maxRangeMs) throw new ValidationError({ message: 'The range may span at most 366 days', code: 'invalid_range' });
  return range;
}

/** A labeller of instants in one IANA time zone; unknown zones are a 400. */
export class ZoneClock {
  private readonly format: Intl.DateTimeFormat;

  constructor(readonly timeZone: string) {
    try {
      this.format = new Intl.DateTimeFormat('en-US', {
        timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
      });
    } catch {
      throw new ValidationError({ message: `Unknown time zone: ${timeZone}`, code: 'invalid_time_zone' });
    }
  }

  /** Local wall-clock fields of an instant. */
  parts(at: number) {
    const map: Record<string, number> = {};
    for (const part of this.format.formatToParts(at)) if (part.type !== 'literal') map[part.type] = Number(part.value);
    return { year: map.year!, month: map.month!, day: map.day!, hour: map.hour!, minute: map.minute!, second: map.second! };
  }

  /** Zone offset (ms east of UTC) at an instant. */
  offset(at: number): number {
    const p = this.parts(at);
    const wall = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
    return wall - (at - (((at % 1000) + 1000) % 1000));
  }

  /** The bucket an instant falls in: its local label and the instant the bucket starts. */
  bucket(at: Date, granularity: Granularity): { label: string; start: Date } {
    const t = at.getTime();
    const p = this.parts(t);
    const pad = (n: number) => String(n).padStart(2, '0');
    const day = `${p.year}-${pad(p.month)}-${pad(p.day)}`;
    if (granularity === 'hour') {
      // Local hour start: strip local minutes and seconds (repeated fall-back hours keep distinct starts).
      return { label: `${day}T${pad(p.hour)}:00`, start: new Date(t - p.minute * 60_000 - p.second * 1000 - (((t % 1000) + 1000) % 1000)) };
    }
    // Local midnight: wall time minus the offset in force then (two passes settle DST days).
    const wall = Date.UTC(p.year, p.month - 1, p.day);
    let start = wall - this.offset(t);
    start = wall - this.offset(start);
    return { label: `${day}T00:00`, start: new Date(start) };
  }
}
