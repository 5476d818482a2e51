import { useEffect, useState } from 'preact/hooks';
import { get, withQuery } from '../api/client';
import type { AuditFilter } from './audit-actions';
import type { AuditEntry, AuditPage } from './report-types';

export const auditPageSize = 25;

export interface AuditLogState {
  /** The filter `entries` match (the page may already ask for another). */
  shown?: AuditFilter;
  entries: AuditEntry[];
  nextBefore?: string;
  /** The first page is on its way (a filter changed). */
  loading: boolean;
  /** An older page is on its way. */
  loadingOlder: boolean;
  error?: unknown;
}

const readPage = (filter: AuditFilter, before?: string) =>
  get<AuditPage>(withQuery('/api/v1/audit', { action: filter.action, targetId: filter.targetId, before, limit: auditPageSize }));

/** The entries matching `filter`, newest first, a page at a time. */
export function useAuditLog(filter: AuditFilter, attempt: number) {
  const [state, setState] = useState<AuditLogState>({ entries: [], loading: true, loadingOlder: false });
  useEffect(() => {
    let stopped = false;
    setState({ entries: [], loading: true, loadingOlder: false });
    readPage(filter).then(
      (page) => !stopped && setState({ shown: filter, entries: page.items, nextBefore: page.nextBefore, loading: false, loadingOlder: false }),
      (error: unknown) => !stopped && setState({ entries: [], loading: false, loadingOlder: false, error }),
    );
    return () => {
      stopped = true;
    };
  }, [filter, attempt]);

  const loadOlder = async (): Promise<number> => {
    if (!state.nextBefore || state.loadingOlder) return 0;
    setState((current) => ({ ...current, loadingOlder: true, error: undefined }));
    try {
      const page = await readPage(filter, state.nextBefore);
      setState((current) => ({ shown: current.shown, entries: [...current.entries, ...page.items], nextBefore: page.nextBefore, loading: false, loadingOlder: false }));
      return page.items.length;
    } catch (error) {
      setState((current) => ({ ...current, loadingOlder: false, error }));
      return 0;
    }
  };

  return { ...state, loadOlder };
}
