import { ApiError, api, get } from '../../api/client';
import type { User } from '../../api/types';
import type { Policy, Profile, Role } from './types';

const userPath = (id: string) => `/api/v1/users/${encodeURIComponent(id)}`;

export interface NewUser {
  email: string;
  name: string;
  profile: string;
  password: string;
  skills: string[];
  maxConcurrent: number | null;
}

export type UserChanges = Partial<Pick<User, 'name' | 'profile' | 'skills' | 'status'> & { maxConcurrent: number | null }>;

export const listUsers = async () => (await get<{ items: User[] }>('/api/v1/users')).items;
export const createUser = (body: NewUser) => api<User>('POST', '/api/v1/users', { body });
export const updateUser = (id: string, body: UserChanges) => api<User>('PATCH', userPath(id), { body });
export const unlockUser = (id: string) => api<User>('POST', `${userPath(id)}/unlock`);
export const resetPassword = (id: string, password: string) => api<User>('POST', `${userPath(id)}/password`, { body: { password } });

export const listProfiles = async () => (await get<{ items: Profile[] }>('/api/v1/profiles')).items;
export const createProfile = (body: { name: string; role: Role; permissions: string[] }) => api<Profile>('POST', '/api/v1/profiles', { body });
export const updateProfile = (id: string, body: { role: Role; permissions: string[] }) =>
  api<Profile>('PATCH', `/api/v1/profiles/${encodeURIComponent(id)}`, { body });

export const getPolicy = () => get<Policy>('/api/v1/account-policy');
export const updatePolicy = (body: Partial<Record<keyof Policy, number | null>>) => api<Policy>('PATCH', '/api/v1/account-policy', { body });

/** Queue ids to offer as skills; someone who may manage users but not see queues gets none (free entry still works). */
export async function listQueueIds(): Promise<string[]> {
  try {
    return (await get<{ items: { queueId: string }[] }>('/api/v1/queues')).items.map((queue) => queue.queueId);
  } catch (error) {
    if (error instanceof ApiError && error.status === 403) return [];
    throw error;
  }
}
