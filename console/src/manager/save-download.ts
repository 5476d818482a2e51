import { download } from '../api/client';

// Chrome reads a blob URL when the download starts, a moment after the click: revoking it at once can cancel it.
const revokeAfterMs = 10_000;

/** Fetches `path` as `accept` (cookie session, like every call) and saves it as `fileName`. */
export async function saveDownload(path: string, accept: string, fileName: string): Promise<void> {
  const blob = await download(path, accept);
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.hidden = true;
  document.body.append(link);
  try {
    link.click();
  } finally {
    link.remove();
    window.setTimeout(() => URL.revokeObjectURL(url), revokeAfterMs);
  }
}
