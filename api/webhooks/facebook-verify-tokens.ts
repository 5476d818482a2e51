import type { ChannelDirectory } from '../../db/repositories/channel-directory.js';

/** Verify tokens of every active Facebook channel (the subscription check names no page). */
export async function listFacebookVerifyTokens(directory: ChannelDirectory): Promise<string[]> {
  const channels = await directory.activeFacebookChannels();
  return channels.flatMap((resolved) => (resolved.secrets.kind === 'facebook' ? [resolved.secrets.verifyToken] : []));
}
