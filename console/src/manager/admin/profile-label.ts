import type { Profile } from './types';

export const profileLabel = (profile: Profile) => (profile.builtIn ? profile.name : `${profile.name} (custom, ${profile.role} role)`);

/** A user's profile reference ("agent", "custom:night-shift") in words. */
export function profileRefLabel(ref: string, profiles: readonly Profile[] | undefined): string {
  const profile = profiles?.find((candidate) => candidate.ref === ref);
  if (profile) return profileLabel(profile);
  return ref.startsWith('custom:') ? `${ref.slice('custom:'.length)} (custom)` : ref;
}
