import type { CommandFailedEvent, CommandStartedEvent, CommandSucceededEvent, MongoClient } from 'mongodb';

/** Database commands by shape: `collection command {filter fields} sort {fields}`, with count and total server time. */
export type DbProfile = Record<string, { count: number; totalMs: number }>;

const fieldsOf = (value: unknown): string => {
  if (value instanceof Map) return [...value.keys()].join(',');
  return value && typeof value === 'object' ? Object.keys(value).join(',') : '';
};

/** What a command does, without its values: which collection, which command, which fields it filters and sorts on. */
export function commandShape(event: CommandStartedEvent): string {
  const { command, commandName } = event;
  const collection = typeof command[commandName] === 'string' ? command[commandName] : '';
  const parts = [collection, commandName];
  switch (commandName) {
    case 'find':
    case 'count':
    case 'distinct':
      parts.push(`{${fieldsOf(command.filter ?? command.query)}}`);
      if (command.sort) parts.push(`sort {${fieldsOf(command.sort)}}`);
      break;
    case 'update':
    case 'delete':
      parts.push(`{${fieldsOf((command.updates ?? command.deletes)?.[0]?.q)}}`);
      break;
    case 'findAndModify':
      parts.push(`{${fieldsOf(command.query)}}`);
      break;
    case 'aggregate':
      parts.push(`[${(command.pipeline as object[] | undefined)?.map(fieldsOf).join(',') ?? ''}]`);
      break;
  }
  return parts.join(' ');
}

/**
 * Counts every command a client sends, by shape, with the time each took (as the driver saw it):
 * the bench's profile of where the database time goes. FerretDB on SQLite serves only a filter of
 * exactly `{_id}` without scanning the collection, so the shapes tell which commands grow with it.
 * The clients must be connected with `monitorCommands=true` (withCommandMonitoring).
 */
export function profileDatabase(clients: MongoClient[]): { take(): DbProfile } {
  let profile: DbProfile = {};
  const started = new Map<number, string>();
  for (const client of clients) {
    client.on('commandStarted', (event: CommandStartedEvent) => {
      if (event.commandName === 'ping' || event.commandName === 'hello' || event.commandName === 'isMaster') return;
      started.set(event.requestId, commandShape(event));
    });
    const finished = (event: CommandSucceededEvent | CommandFailedEvent) => {
      const shape = started.get(event.requestId);
      if (shape === undefined) return;
      started.delete(event.requestId);
      const entry = (profile[shape] ??= { count: 0, totalMs: 0 });
      entry.count++;
      entry.totalMs += event.duration;
    };
    client.on('commandSucceeded', finished);
    client.on('commandFailed', finished);
  }
  return {
    take() {
      const taken = profile;
      profile = {};
      return taken;
    },
  };
}

/** The connection string with the driver's command monitoring on (it only emits events with it). */
export function withCommandMonitoring(uri: string): string {
  const url = new URL(uri);
  url.searchParams.set('monitorCommands', 'true');
  return url.toString();
}

export interface DatabaseShare {
  shape: string;
  perMessage: number;
  /** Time the driver waited for this shape, per message. */
  msPerMessage: number;
}

/** The 12 costliest shapes of a profile, per message of the scenario. */
export function perMessage(profile: DbProfile, messages: number): DatabaseShare[] {
  const per = (value: number) => Math.round((value / Math.max(1, messages)) * 100) / 100;
  return Object.entries(profile)
    .sort((a, b) => b[1].totalMs - a[1].totalMs)
    .slice(0, 12)
    .map(([shape, entry]) => ({ shape, perMessage: per(entry.count), msPerMessage: per(entry.totalMs) }));
}
