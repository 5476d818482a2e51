import type { StreamEvent } from '../api/types';

export type ConnectionState = 'connecting' | 'live' | 'reconnecting';

/** Every event type of GET /api/v1/events the console listens to (named SSE events need a listener each). */
export const streamEventTypes = [
  'conversation.waiting', 'conversation.assigned', 'conversation.transferred', 'conversation.closed', 'conversation.reopened',
  'message.created', 'message.status',
  'form.sent', 'form.opened', 'form.submitted', 'form.expired', 'form.offRecordExpired',
] as const;

const maxBackoffMs = 30_000;

/**
 * One EventSource on /api/v1/events (the session cookie authenticates it). The browser resumes
 * by itself with Last-Event-ID after a network error; when the server refuses or the browser
 * gives up, a new EventSource resumes with `?since=` from the last id seen. After every
 * reconnection `onResync` listeners re-read what they show, so nothing missed stays missed.
 */
export class LiveStream {
  private source: EventSource | undefined;
  private lastEventId: string | undefined;
  private connectedOnce = false;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private backoffMs = 1_000;
  private stopped = true;
  state: ConnectionState = 'connecting';
  private readonly eventListeners = new Set<(event: StreamEvent) => void>();
  private readonly stateListeners = new Set<(state: ConnectionState) => void>();
  private readonly resyncListeners = new Set<() => void>();

  /** `probe` asks the server whether the session still stands (a refused stream may mean it ended). */
  constructor(
    private readonly onSessionEnded: () => void,
    private readonly probe: () => Promise<unknown>,
  ) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    window.addEventListener('online', this.reconnectNow);
    this.open();
  }

  stop(): void {
    this.stopped = true;
    window.removeEventListener('online', this.reconnectNow);
    clearTimeout(this.retryTimer);
    this.source?.close();
    this.source = undefined;
  }

  onEvent(listener: (event: StreamEvent) => void): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  onState(listener: (state: ConnectionState) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  onResync(listener: () => void): () => void {
    this.resyncListeners.add(listener);
    return () => this.resyncListeners.delete(listener);
  }

  private readonly reconnectNow = () => {
    if (this.stopped || this.state === 'live') return;
    clearTimeout(this.retryTimer);
    this.source?.close();
    this.open();
  };

  private open(): void {
    const url = this.lastEventId ? `/api/v1/events?since=${encodeURIComponent(this.lastEventId)}` : '/api/v1/events';
    const source = new EventSource(url, { withCredentials: true });
    this.source = source;
    source.onopen = () => {
      this.backoffMs = 1_000;
      const resumed = this.connectedOnce;
      this.connectedOnce = true;
      this.setState('live');
      if (resumed) for (const listener of this.resyncListeners) listener();
    };
    source.onerror = () => {
      if (this.stopped || source !== this.source) return;
      this.setState('reconnecting');
      if (source.readyState === EventSource.CLOSED) {
        this.probe().catch(() => undefined);
        this.retryLater();
      }
    };
    for (const type of streamEventTypes) {
      source.addEventListener(type, (message) => this.dispatch(type, message as MessageEvent<string>));
    }
    source.addEventListener('stream.position', (message) => {
      const id = (message as MessageEvent<string>).lastEventId;
      if (id) this.lastEventId = id;
    });
    source.addEventListener('session.ended', () => {
      this.stop();
      this.onSessionEnded();
    });
  }

  private retryLater(): void {
    this.source?.close();
    const wait = this.backoffMs;
    this.backoffMs = Math.min(this.backoffMs * 2, maxBackoffMs);
    this.retryTimer = setTimeout(() => {
      if (!this.stopped) this.open();
    }, wait);
  }

  private dispatch(type: string, message: MessageEvent<string>): void {
    if (message.lastEventId) this.lastEventId = message.lastEventId;
    let data: StreamEvent['data'];
    try {
      data = JSON.parse(message.data) as StreamEvent['data'];
    } catch {
      return;
    }
    const event: StreamEvent = { id: message.lastEventId, type, data };
    for (const listener of this.eventListeners) listener(event);
  }

  private setState(state: ConnectionState): void {
    if (this.state === state) return;
    this.state = state;
    for (const listener of this.stateListeners) listener(state);
  }
}
