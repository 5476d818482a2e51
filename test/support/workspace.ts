import { randomBytes } from 'node:crypto';
import { completeFirstSignIn, temporaryPassword } from './accounts.js';
import { call, type ConnectorWorld } from './connectors.js';
import { testAdminToken } from './settings.js';

export interface Agent {
  id: string;
  token: string;
}

let counter = 0;

/** A user of the world's brand, created by the platform admin and signed in. */
export async function addAgent(
  world: ConnectorWorld,
  fields: { skills?: string[]; profile?: string; maxConcurrent?: number; online?: boolean } = {},
): Promise<Agent> {
  const email = `agent-${randomBytes(3).toString('hex')}-${++counter}@example.com`;
  const password = temporaryPassword();
  const created = await call(world, 'POST', `/api/v1/admin/brands/${world.brandId}/users`, testAdminToken, {
    email, password, name: `Agent ${counter}`, profile: fields.profile ?? 'agent', skills: fields.skills ?? ['sales'], maxConcurrent: fields.maxConcurrent ?? 3,
  });
  if (created.status !== 201) throw new Error(`could not create agent: ${JSON.stringify(created.body)}`);
  // The platform admin's password is temporary (PCI DSS 8.3.5): the agent chooses their own first.
  const token = await completeFirstSignIn(world.system.url, { brandId: world.brandId, email, temporaryPassword: password, password: `pw-${randomBytes(16).toString('base64url')}` });
  const agent = { id: created.body.id as string, token };
  if (fields.online) await setAvailability(world, agent, 'online');
  return agent;
}

export async function setAvailability(world: ConnectorWorld, agent: Agent, availability: 'online' | 'away' | 'offline') {
  const response = await call(world, 'PUT', '/api/v1/me/availability', agent.token, { availability });
  if (response.status !== 200) throw new Error(`availability refused: ${JSON.stringify(response.body)}`);
}

/** Reads a text/event-stream until `until` says stop (or the time runs out); returns the events seen. */
export async function readEvents(
  world: ConnectorWorld,
  token: string,
  options: { lastEventId?: string; until: (events: SseEvent[]) => boolean; timeoutMs?: number },
): Promise<SseEvent[]> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), options.timeoutMs ?? 15_000);
  const events: SseEvent[] = [];
  try {
    const response = await fetch(`${world.system.url}/api/v1/events`, {
      headers: { authorization: `Bearer ${token}`, ...(options.lastEventId ? { 'last-event-id': options.lastEventId } : {}) },
      signal: controller.signal,
    });
    if (response.status !== 200) throw new Error(`events answered ${response.status}`);
    const decoder = new TextDecoder();
    let buffer = '';
    for await (const chunk of response.body!) {
      buffer = takeSseEvents(buffer + decoder.decode(chunk, { stream: true }), events);
      if (options.until(events)) break;
    }
  } catch (error) {
    if (!controller.signal.aborted) throw error;
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
  return events;
}

/** Moves the complete events at the start of `buffer` (text/event-stream) into `events`; returns the incomplete rest. */
export function takeSseEvents(buffer: string, events: SseEvent[]): string {
  let rest = buffer;
  let end;
  while ((end = rest.indexOf('\n\n')) >= 0) {
    const block = rest.slice(0, end);
    rest = rest.slice(end + 2);
    const lines = block.split('\n').filter((line) => !line.startsWith(':'));
    const fields = Object.fromEntries(lines.map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 2)]));
    if (fields.event) events.push({ id: fields.id!, type: fields.event, data: JSON.parse(fields.data ?? '{}') });
  }
  return rest;
}

export interface SseEvent {
  id: string;
  type: string;
  data: Record<string, unknown>;
}
