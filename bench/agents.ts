import { randomBytes } from 'node:crypto';
import { callApi, QUEUE, type BenchWorld } from './world.js';

export interface BenchAgent {
  id: string;
  token: string;
}

let counter = 0;
const password = () => `bench-${randomBytes(18).toString('base64url')}`;

/**
 * An agent of the bench brand, created by the platform admin and signed in: the first sign-in
 * replaces the admin's temporary password (PCI DSS 8.3.5), as a person would. `away`: keeps what
 * they accept by hand, gets nothing routed to them.
 */
export async function addAgent(world: BenchWorld, options: { availability?: 'online' | 'away' } = {}): Promise<BenchAgent> {
  const email = `bench-agent-${++counter}-${randomBytes(3).toString('hex')}@example.com`;
  const temporary = password();
  const created = await callApi(world, 'POST', `/api/v1/admin/brands/${world.brandId}/users`, world.adminToken, {
    email, password: temporary, name: `Bench agent ${counter}`, profile: 'agent', skills: [QUEUE], maxConcurrent: 3,
  });
  if (created.status !== 201) throw new Error(`could not create an agent: ${JSON.stringify(created.body)}`);
  const login = await callApi(world, 'POST', '/api/v1/auth/login', '', { brandId: world.brandId, email, password: temporary });
  if (login.status !== 200) throw new Error(`agent sign-in failed: ${JSON.stringify(login.body)}`);
  const changed = await callApi(world, 'POST', '/api/v1/me/password', login.body.token, { currentPassword: temporary, newPassword: password() });
  if (changed.status !== 200) throw new Error(`agent password change failed: ${JSON.stringify(changed.body)}`);
  const agent = { id: created.body.id as string, token: changed.body.token as string };
  if (options.availability) {
    const set = await callApi(world, 'PUT', '/api/v1/me/availability', agent.token, { availability: options.availability });
    if (set.status !== 200) throw new Error(`availability refused: ${JSON.stringify(set.body)}`);
  }
  return agent;
}
