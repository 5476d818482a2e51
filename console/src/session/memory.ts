/**
 * What a signed-in user leaves in this page's memory (drafts may hold personal data, unread counts and
 * refusals describe their conversations): forgotten when the session ends, so the next person at this
 * browser finds none of it.
 */
const forgetters = new Set<() => void>();

export function forgetOnSignOut(forget: () => void): void {
  forgetters.add(forget);
}

export function forgetSessionMemory(): void {
  for (const forget of forgetters) forget();
}
