import type { ComponentChildren } from 'preact';
import { ErrorNote } from '../../common/ErrorNote';
import type { Resource } from './useResource';

/** Loading, failed (with a retry) or loaded: what a page shows of data it reads. */
export function LoadState<T>(props: { resource: Resource<T>; what: string; children: (data: T) => ComponentChildren }) {
  const { resource } = props;
  if (resource.data === undefined && resource.loading) return <p role="status">Loading {props.what}…</p>;
  if (resource.data === undefined) {
    return (
      <div class="stack admin-load-error">
        <p>The {props.what} could not be loaded.</p>
        <ErrorNote error={resource.error} />
        <div>
          <button type="button" onClick={() => void resource.reload()}>Try again</button>
        </div>
      </div>
    );
  }
  return (
    <>
      {resource.error !== undefined && <ErrorNote error={resource.error} />}
      {props.children(resource.data)}
    </>
  );
}
