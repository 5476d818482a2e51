import { useEffect, useRef } from 'preact/hooks';

/**
 * Keyboard shortcuts: Alt + a letter (by physical key, so layouts and macOS's Option characters
 * do not matter). Modifier shortcuts leave typing alone (WCAG 2.1.4 concerns single keys).
 */
export interface Shortcut {
  /** KeyboardEvent.code, e.g. "KeyN". */
  code: string;
  label: string;
  description: string;
}

export const shortcuts = {
  nextConversation: { code: 'KeyN', label: 'Alt+N', description: 'Next conversation' },
  previousConversation: { code: 'KeyP', label: 'Alt+P', description: 'Previous conversation' },
  reply: { code: 'KeyR', label: 'Alt+R', description: 'Write a reply (focus the reply box)' },
  accept: { code: 'KeyA', label: 'Alt+A', description: 'Accept the conversation' },
  transfer: { code: 'KeyT', label: 'Alt+T', description: 'Transfer the conversation' },
  close: { code: 'KeyC', label: 'Alt+C', description: 'Close the conversation' },
  secureForm: { code: 'KeyF', label: 'Alt+F', description: 'Send a secure form' },
  help: { code: 'KeyH', label: 'Alt+H', description: 'Show these shortcuts' },
} satisfies Record<string, Shortcut>;

export type ShortcutName = keyof typeof shortcuts;

const handlers = new Map<ShortcutName, Array<() => void>>();

document.addEventListener('keydown', (event) => {
  if (!event.altKey || event.ctrlKey || event.metaKey || event.repeat) return;
  for (const [name, shortcut] of Object.entries(shortcuts) as [ShortcutName, Shortcut][]) {
    if (shortcut.code !== event.code) continue;
    const stack = handlers.get(name);
    const handler = stack?.at(-1);
    if (!handler) return;
    event.preventDefault();
    handler();
    return;
  }
});

/** While the component is mounted, `name` runs `handler` (the most recently mounted wins). */
export function useShortcut(name: ShortcutName, handler: () => void): void {
  const latest = useRef(handler);
  latest.current = handler;
  useEffect(() => {
    const run = () => latest.current();
    const stack = handlers.get(name) ?? [];
    stack.push(run);
    handlers.set(name, stack);
    return () => {
      const index = stack.indexOf(run);
      if (index >= 0) stack.splice(index, 1);
    };
  }, [name]);
}
