/**
 * A key that groups one log line with its kind: pino JSON lines by message (plus the activity type
 * and the database's error for failed activities); the Temporal core's text lines by module and
 * message, without colours, timestamps, ids and numbers.
 */
export function logLineKind(line: string): string | undefined {
  if (line.startsWith('{')) {
    try {
      type LoggedError = { errorResponse?: { errmsg?: string }; message?: string };
      const entry = JSON.parse(line) as { level?: number; msg?: string; sdk?: { activityType?: string; error?: LoggedError }; error?: LoggedError | string };
      if ((entry.level ?? 0) < 40) return undefined;
      const error = typeof entry.error === 'object' ? entry.error : entry.sdk?.error;
      const cause = error?.errorResponse?.errmsg ?? error?.message;
      const detail = [entry.sdk?.activityType, cause && shortError(cause)].filter(Boolean).join(': ');
      return detail ? `${entry.msg} (${detail})` : (entry.msg ?? '?');
    } catch {
      // not JSON after all: fall through
    }
  }
  const plain = line.replace(/\x1b\[[0-9;]*m/g, '').replace(/^\S*\d{4}-\d\d-\d\dT\S+\s+/, '').trim();
  if (!/^(WARN|ERROR)\b/.test(plain)) return undefined;
  return plain
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(:\d+)*/g, '…')
    .replace(/\d+/g, 'N')
    .split(/\. | error=| workflow_type=/)[0]!
    .slice(0, 160);
}

/** FerretDB prefixes errors with its call stack in brackets: keep the message. */
const shortError = (message: string) => message.replace(/\[[^\]]*\]\s*/g, '').slice(0, 80);
