import { readPreferences } from './preferences';

let audio: AudioContext | undefined;

/** A short two-tone chime made with Web Audio: no sound file to fetch. */
function chime(): void {
  try {
    audio ??= new AudioContext();
    const now = audio.currentTime;
    for (const [offset, frequency] of [[0, 880], [0.18, 1320]] as const) {
      const oscillator = audio.createOscillator();
      const gain = audio.createGain();
      oscillator.frequency.value = frequency;
      gain.gain.setValueAtTime(0.0001, now + offset);
      gain.gain.exponentialRampToValueAtTime(0.2, now + offset + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, now + offset + 0.3);
      oscillator.connect(gain).connect(audio.destination);
      oscillator.start(now + offset);
      oscillator.stop(now + offset + 0.32);
    }
  } catch {
    // No audio output: the visual and desktop notifications remain.
  }
}

/**
 * New work for the agent: a sound and a desktop notification, each as the agent's preferences say.
 * The text names the situation only, never the consumer or their message.
 */
export function alertNewWork(title: string, body: string, onClick?: () => void): void {
  const preferences = readPreferences();
  if (preferences.sound) chime();
  if (preferences.desktop && 'Notification' in window && Notification.permission === 'granted') {
    const notification = new Notification(title, { body, tag: title });
    notification.onclick = () => {
      window.focus();
      onClick?.();
      notification.close();
    };
  }
}

/** Asks for desktop notification permission (only on a user's click, as browsers require). */
export async function enableDesktopNotifications(): Promise<NotificationPermission | 'unsupported'> {
  if (!('Notification' in window)) return 'unsupported';
  if (Notification.permission === 'default') return Notification.requestPermission();
  return Notification.permission;
}
