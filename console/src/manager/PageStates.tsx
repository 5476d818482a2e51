import type { ComponentChildren } from 'preact';
import { ErrorNote } from '../common/ErrorNote';

export function Loading(props: { what: string }) {
  return <p class="hint" role="status">Loading {props.what}…</p>;
}

/** A read that failed with nothing to show: the reason and a way to try again. */
export function LoadFailed(props: { error: unknown; onRetry: () => void }) {
  return (
    <div class="stack">
      <ErrorNote error={props.error} />
      <div>
        <button type="button" onClick={props.onRetry}>Try again</button>
      </div>
    </div>
  );
}

/** A wide table that scrolls inside itself on a narrow screen, never the page. */
export function TableScroll(props: { label: string; children: ComponentChildren }) {
  return (
    <div class="table-scroll" tabIndex={0} role="region" aria-label={props.label}>
      {props.children}
    </div>
  );
}
