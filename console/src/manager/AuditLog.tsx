import { useRef, useState } from 'preact/hooks';
import { announce } from '../common/announcer';
import { ErrorNote } from '../common/ErrorNote';
import type { AuditFilter } from './audit-actions';
import { AuditFilters } from './AuditFilters';
import { AuditTable } from './AuditTable';
import { LoadFailed, Loading } from './PageStates';
import { useAgentNames } from './useAgentNames';
import { useAuditLog } from './useAuditLog';
import './manager.css';

function describeFilter(filter: AuditFilter | undefined): string {
  const parts = [filter?.action && `action ${filter.action}`, filter?.targetId && `target ${filter.targetId}`].filter(Boolean);
  return parts.length ? ` of ${parts.join(', ')}` : '';
}

/** The brand's audit log: who did what to what, from where; filtered by action or target, newest first. */
export function AuditLog() {
  const [filter, setFilter] = useState<AuditFilter>({ action: '', targetId: '' });
  const [attempt, setAttempt] = useState(0);
  const log = useAuditLog(filter, attempt);
  const names = useAgentNames();
  const end = useRef<HTMLParagraphElement>(null);

  const older = async () => {
    const count = await log.loadOlder();
    if (count) announce(count === 1 ? '1 older entry loaded' : `${count} older entries loaded`);
    // The button goes away at the end of the log: keep the keyboard user's place.
    window.setTimeout(() => end.current?.focus(), 0);
  };

  return (
    <section class="stack manager-page">
      <h1>Audit log</h1>
      <AuditFilters filter={filter} onApply={setFilter} />
      {log.loading && <Loading what="audit entries" />}
      {!log.loading && log.error !== undefined && !log.entries.length && <LoadFailed error={log.error} onRetry={() => setAttempt((n) => n + 1)} />}
      {!log.loading && log.error === undefined && !log.entries.length && (
        <p class="hint" role="status">{filter.action || filter.targetId ? 'No entries match these filters.' : 'No entries yet.'}</p>
      )}
      {log.entries.length > 0 && (
        <>
          <p class="hint" role="status">
            Showing {log.entries.length === 1 ? '1 entry' : `${log.entries.length} entries`}{describeFilter(log.shown)}, newest first.
          </p>
          <AuditTable entries={log.entries} names={names} />
          {log.error !== undefined && <ErrorNote error={log.error} />}
          {log.nextBefore ? (
            <div>
              <button type="button" onClick={older} aria-busy={log.loadingOlder}>Older entries</button>
            </div>
          ) : (
            <p class="hint" tabIndex={-1} ref={end}>That is the oldest entry.</p>
          )}
        </>
      )}
    </section>
  );
}
