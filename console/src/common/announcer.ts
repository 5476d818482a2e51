/** Screen-reader announcements through one polite live region (rendered by the shell). */
let region: HTMLElement | null = null;

export function setAnnouncerRegion(element: HTMLElement | null): void {
  region = element;
}

export function announce(text: string): void {
  if (!region) return;
  // Clearing first makes a repeated text announced again.
  region.textContent = '';
  window.setTimeout(() => {
    if (region) region.textContent = text;
  }, 50);
}
