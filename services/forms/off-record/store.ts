/**
 * Off-the-record answers (CVV and fields a template marks so): held only in
 * this process's memory, never written anywhere, erased when their time is up
 * or the form is closed. Other replicas reach them through this process
 * (./answers.ts); the values die with it.
 */
interface Entry {
  brandId: string;
  values: Record<string, string>;
  expiresAt: number;
  timer: NodeJS.Timeout;
}

export class OffRecordStore {
  private readonly entries = new Map<string, Entry>();

  put(formId: string, brandId: string, values: Record<string, string>, ttlMs: number): Date {
    this.erase(formId);
    const expiresAt = Date.now() + ttlMs;
    const timer = setTimeout(() => this.erase(formId), ttlMs);
    timer.unref();
    this.entries.set(formId, { brandId, values: { ...values }, expiresAt, timer });
    return new Date(expiresAt);
  }

  /** The values while they last; undefined once erased, or when the form is not of `brandId`. */
  get(formId: string, brandId?: string): Record<string, string> | undefined {
    const entry = this.entries.get(formId);
    if (!entry || (brandId !== undefined && entry.brandId !== brandId)) return undefined;
    if (Date.now() >= entry.expiresAt) {
      this.erase(formId);
      return undefined;
    }
    return { ...entry.values };
  }

  erase(formId: string, brandId?: string): void {
    const entry = this.entries.get(formId);
    if (!entry || (brandId !== undefined && entry.brandId !== brandId)) return;
    clearTimeout(entry.timer);
    for (const name of Object.keys(entry.values)) entry.values[name] = '';
    this.entries.delete(formId);
  }

  get size(): number {
    return this.entries.size;
  }
}
