import { useState } from 'preact/hooks';
import { useAuditActions, type AuditFilter } from './audit-actions';

/** Which entries to show: one action, one target, or both; applied on submit. */
export function AuditFilters(props: { filter: AuditFilter; onApply: (filter: AuditFilter) => void }) {
  const auditActions = useAuditActions();
  const [action, setAction] = useState(props.filter.action);
  const [targetId, setTargetId] = useState(props.filter.targetId);
  const submit = (event: Event) => {
    event.preventDefault();
    props.onApply({ action, targetId: targetId.trim() });
  };
  const clear = () => {
    setAction('');
    setTargetId('');
    props.onApply({ action: '', targetId: '' });
  };
  return (
    <form class="card filters" onSubmit={submit} aria-label="Audit filters">
      <label>
        Action
        <select value={action} onChange={(e) => setAction(e.currentTarget.value)}>
          <option value="">All actions</option>
          {auditActions.map((name) => <option key={name} value={name}>{name}</option>)}
        </select>
      </label>
      <label>
        Target id
        <input value={targetId} onInput={(e) => setTargetId(e.currentTarget.value)} maxLength={200} spellcheck={false} autoComplete="off" />
      </label>
      <div class="filters-submit row">
        <button type="submit" class="primary">Apply filters</button>
        <button type="button" onClick={clear}>Clear</button>
      </div>
    </form>
  );
}
