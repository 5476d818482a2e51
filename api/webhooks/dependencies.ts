import type { ChannelDirectory } from '../../db/repositories/channel-directory.js';
import type { InboundDependencies } from '../use-cases/inbound/accept-inbound.js';

export interface WebhookDependencies extends InboundDependencies {
  directory: ChannelDirectory;
  /** The URL providers call us at (signatures are computed over it). */
  publicBaseUrl: string;
}

/** The URL the provider signed: our public base URL plus the path and query it requested. */
export function signedUrl(publicBaseUrl: string, originalUrl: string): string {
  return `${publicBaseUrl}${originalUrl}`;
}
