import { useMemo, useState } from 'preact/hooks';
import type { Granularity, GroupBy } from './report-types';
import { groupByLabels, queryProblem, type ReportQuery } from './report-query';
import { timeZones } from './zoned-dates';

/** The range, zone, granularity and grouping of the reports; applies them on submit. */
export function ReportFilters(props: { query: ReportQuery; onApply: (query: ReportQuery) => void }) {
  const [draft, setDraft] = useState(props.query);
  const [problem, setProblem] = useState<string>();
  const zones = useMemo(() => timeZones(props.query.timeZone), []);
  const set = (change: Partial<ReportQuery>) => setDraft((current) => ({ ...current, ...change }));

  const submit = (event: Event) => {
    event.preventDefault();
    const found = queryProblem(draft);
    setProblem(found);
    if (!found) props.onApply(draft);
  };

  return (
    <form class="card filters" onSubmit={submit} aria-label="Report range" aria-describedby={problem ? 'report-filter-problem' : undefined}>
      <label>
        From
        <input type="date" value={draft.from} onInput={(e) => set({ from: e.currentTarget.value })} required />
      </label>
      <label>
        To (included)
        <input type="date" value={draft.to} onInput={(e) => set({ to: e.currentTarget.value })} required />
      </label>
      <label>
        Time zone
        <select value={draft.timeZone} onChange={(e) => set({ timeZone: e.currentTarget.value })}>
          {zones.map((zone) => <option key={zone} value={zone}>{zone}</option>)}
        </select>
      </label>
      <label>
        Granularity
        <select value={draft.granularity} onChange={(e) => set({ granularity: e.currentTarget.value as Granularity })}>
          <option value="day">Day</option>
          <option value="hour">Hour</option>
        </select>
      </label>
      <label>
        Group by
        <select value={draft.groupBy} onChange={(e) => set({ groupBy: e.currentTarget.value as GroupBy })}>
          {(Object.keys(groupByLabels) as GroupBy[]).map((key) => <option key={key} value={key}>{groupByLabels[key]}</option>)}
        </select>
      </label>
      <div class="filters-submit">
        <button type="submit" class="primary">Show report</button>
      </div>
      {problem && <p class="error" role="alert" id="report-filter-problem">{problem}</p>}
    </form>
  );
}
