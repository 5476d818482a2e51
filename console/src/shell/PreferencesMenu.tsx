import { useState } from 'preact/hooks';
import { enableDesktopNotifications } from './notify';
import { savePreferences, usePreferences } from './preferences';

/** Sound and desktop notifications for new work, each on or off. */
export function PreferencesMenu() {
  const preferences = usePreferences();
  const [note, setNote] = useState<string>();
  const toggleDesktop = async (on: boolean) => {
    savePreferences({ desktop: on });
    if (!on) return setNote(undefined);
    const permission = await enableDesktopNotifications();
    setNote(permission === 'granted' ? undefined : 'The browser blocks desktop notifications for this site: allow them in its site settings.');
  };
  return (
    <fieldset class="preferences">
      <legend class="visually-hidden">Notifications</legend>
      <label>
        <input type="checkbox" checked={preferences.sound} onChange={(e) => savePreferences({ sound: e.currentTarget.checked })} /> Sound
      </label>
      <label>
        <input type="checkbox" checked={preferences.desktop} onChange={(e) => toggleDesktop(e.currentTarget.checked)} /> Desktop alerts
      </label>
      {note && <span class="hint" role="status">{note}</span>}
    </fieldset>
  );
}
