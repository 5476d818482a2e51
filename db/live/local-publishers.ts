import type { Db } from 'mongodb';
import type { EventDocument } from '../repositories/events.js';

interface LocalPublisher {
  publish(event: EventDocument): void;
}

/** The live-event hub of this process, per database handle (API and worker of one process share it). */
const publishers = new WeakMap<Db, LocalPublisher>();

export function registerLocalPublisher(db: Db, publisher: LocalPublisher) {
  publishers.set(db, publisher);
}

export function unregisterLocalPublisher(db: Db, publisher: LocalPublisher) {
  if (publishers.get(db) === publisher) publishers.delete(db);
}

/** Hands a just-stored event to this process's streams at once; no hub here (a worker-only process): nothing to do. */
export function publishLocally(db: Db, event: EventDocument) {
  publishers.get(db)?.publish(event);
}
