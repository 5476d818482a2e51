import type { Logger } from 'pino';

/**
 * Logs that a dependency became unreachable once, and once that it is back, however many
 * events fail in between: an outage is one warning, not one per message.
 */
export class OutageLog {
  private downSince: number | undefined;

  constructor(
    private readonly logger: Logger,
    private readonly what: string,
    private readonly consequence: string,
  ) {}

  get down(): boolean {
    return this.downSince !== undefined;
  }

  failed(error: string): void {
    if (this.downSince !== undefined) return;
    this.downSince = Date.now();
    this.logger.warn({ dependency: this.what, error }, `${this.what} unreachable: ${this.consequence}`);
  }

  recovered(details: Record<string, unknown> = {}): void {
    if (this.downSince === undefined) return;
    this.logger.info({ dependency: this.what, downForMs: Date.now() - this.downSince, ...details }, `${this.what} reachable again`);
    this.downSince = undefined;
  }
}
