import { useState } from 'preact/hooks';
import { announce } from '../common/announcer';
import { ErrorNote } from '../common/ErrorNote';
import { saveDownload } from './save-download';

/** A button that saves a CSV report; says when it is done or why it failed. */
export function DownloadButton(props: { label: string; path: string; fileName: string }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const start = async () => {
    if (busy) return;
    setBusy(true);
    setError(undefined);
    try {
      await saveDownload(props.path, 'text/csv', props.fileName);
      announce(`Downloaded ${props.fileName}`);
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="stack download">
      <div>
        <button type="button" onClick={start} aria-busy={busy}>{props.label}</button>
      </div>
      <ErrorNote error={error} />
    </div>
  );
}
