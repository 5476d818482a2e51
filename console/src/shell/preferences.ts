import { useEffect, useState } from 'preact/hooks';

/** Console preferences: no personal data, so they may stay in local storage. */
export interface Preferences {
  sound: boolean;
  desktop: boolean;
}

const key = 'switchboard.console.preferences';
const defaults: Preferences = { sound: true, desktop: true };
const listeners = new Set<(preferences: Preferences) => void>();

export function readPreferences(): Preferences {
  try {
    return { ...defaults, ...(JSON.parse(window.localStorage.getItem(key) ?? '{}') as Partial<Preferences>) };
  } catch {
    return defaults;
  }
}

export function savePreferences(change: Partial<Preferences>): void {
  const next = { ...readPreferences(), ...change };
  window.localStorage.setItem(key, JSON.stringify(next));
  for (const listener of listeners) listener(next);
}

export function usePreferences(): Preferences {
  const [preferences, setPreferences] = useState(readPreferences);
  useEffect(() => {
    listeners.add(setPreferences);
    return () => void listeners.delete(setPreferences);
  }, []);
  return preferences;
}
