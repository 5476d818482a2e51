import { useEffect, useState } from 'preact/hooks';

/** Paths below /console/ (history API; the server answers index.html for every one of them). */
export const consoleBase = '/console/';

const listeners = new Set<() => void>();

export function currentPath(): string {
  const path = window.location.pathname;
  return path.startsWith(consoleBase) ? path.slice(consoleBase.length) : '';
}

export function navigate(path: string, options: { replace?: boolean } = {}): void {
  const url = consoleBase + path.replace(/^\//, '');
  if (url === window.location.pathname) return;
  if (options.replace) window.history.replaceState(null, '', url);
  else window.history.pushState(null, '', url);
  for (const listener of listeners) listener();
}

window.addEventListener('popstate', () => {
  for (const listener of listeners) listener();
});

/** The current path below /console/, re-rendering on navigation. */
export function usePath(): string {
  const [path, setPath] = useState(currentPath);
  useEffect(() => {
    const update = () => setPath(currentPath());
    listeners.add(update);
    return () => void listeners.delete(update);
  }, []);
  return path;
}

/** `conversations/:id` → { id } when `path` matches `pattern`. */
export function match(pattern: string, path: string): Record<string, string> | undefined {
  const want = pattern.split('/');
  const got = path.split('/');
  if (want.length !== got.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const part = want[i]!;
    if (part.startsWith(':')) params[part.slice(1)] = decodeURIComponent(got[i]!);
    else if (part !== got[i]) return undefined;
  }
  return params;
}
