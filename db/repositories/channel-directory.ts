import { MongoNetworkError, MongoServerSelectionError, type Db } from 'mongodb';
import { Collections } from '../collections.js';
import type { FieldEncryption } from '../field-encryption.js';
import { BrandRepository, type BrandDocument } from './brands.js';
import { ChannelRepository, type ChannelDocument, type EntryPointDocument } from './channels.js';

export interface TwilioSecrets {
  kind: 'twilio';
  accountSid: string;
  authToken: string;
}

export interface FacebookSecrets {
  kind: 'facebook';
  pageId: string;
  pageAccessToken: string;
  appSecret: string;
  verifyToken: string;
}

export interface ResolvedChannel {
  brand: BrandDocument;
  channel: ChannelDocument;
  secrets: TwilioSecrets | FacebookSecrets;
  /** Brand and channel both active: only then do we accept traffic. */
  active: boolean;
}

export interface ResolvedEntryPoint extends ResolvedChannel {
  entryPoint: EntryPointDocument;
}

/** Context strings that bind each encrypted channel secret to its channel and field. */
export const channelSecretContext = (channelId: string, field: string) => `channel:${channelId}:${field}`;

const STALE_LIMIT_MS = 24 * 60 * 60_000;

/**
 * Looks up who an inbound event or an outbound send belongs to, with the
 * channel's secrets decrypted. Cached briefly: the webhook ack path must stay
 * one Temporal call plus verification, not several database round trips.
 */
export class ChannelDirectory {
  private readonly brands: BrandRepository;
  private readonly channels: ChannelRepository;
  private readonly cache = new Map<string, { value: Promise<ResolvedEntryPoint | ResolvedChannel | undefined>; expires: number }>();
  /** The last answer the database gave per key: served while the database is unreachable, so webhooks still verify and accept. */
  private readonly lastKnown = new Map<string, { value: unknown; at: number }>();

  constructor(private readonly options: { db: Db; fields: FieldEncryption; ttlMs?: number }) {
    this.brands = new BrandRepository(options.db);
    this.channels = new ChannelRepository(options.db);
  }

  resolveEntryPoint(entryPointId: string): Promise<ResolvedEntryPoint | undefined> {
    return this.cached(`ep:${entryPointId}`, async () => {
      const entryPoint = await this.channels.getEntryPoint(entryPointId);
      if (!entryPoint) return undefined;
      const resolved = await this.loadChannel(entryPoint.channelId);
      return resolved ? { ...resolved, entryPoint } : undefined;
    }) as Promise<ResolvedEntryPoint | undefined>;
  }

  resolveChannel(channelId: string): Promise<ResolvedChannel | undefined> {
    return this.cached(`ch:${channelId}`, () => this.loadChannel(channelId));
  }

  /** Every active Facebook channel with its secrets (bounded: a deployment has few). */
  async activeFacebookChannels(): Promise<ResolvedChannel[]> {
    const channels = await this.options.db
      .collection<ChannelDocument>(Collections.channels)
      .find({ kind: 'facebook', status: 'active' }, { projection: { _id: 1 } })
      .limit(1000)
      .toArray();
    const resolved = await Promise.all(channels.map((channel) => this.resolveChannel(channel._id)));
    return resolved.filter((item): item is ResolvedChannel => item?.active === true);
  }

  /** After an admin change: the next lookup reads the database. */
  invalidate(): void {
    this.cache.clear();
    this.lastKnown.clear();
  }

  private async loadChannel(channelId: string): Promise<ResolvedChannel | undefined> {
    const channel = await this.channels.get(channelId);
    if (!channel) return undefined;
    const brand = await this.brands.get(channel.brandId);
    if (!brand) return undefined;
    return { brand, channel, secrets: this.decrypt(channel), active: brand.status === 'active' && channel.status === 'active' };
  }

  private decrypt(channel: ChannelDocument): TwilioSecrets | FacebookSecrets {
    const open = (field: string, value: Parameters<FieldEncryption['open']>[0]) =>
      this.options.fields.open(value, channelSecretContext(channel._id, field));
    if (channel.kind === 'twilio' && channel.twilio) {
      return { kind: 'twilio', accountSid: channel.twilio.accountSid, authToken: open('authToken', channel.twilio.authToken) };
    }
    if (channel.kind === 'facebook' && channel.facebook) {
      const { pageId, pageAccessToken, appSecret, verifyToken } = channel.facebook;
      return {
        kind: 'facebook',
        pageId,
        pageAccessToken: open('pageAccessToken', pageAccessToken),
        appSecret: open('appSecret', appSecret),
        verifyToken: open('verifyToken', verifyToken),
      };
    }
    throw new Error(`channel ${channel._id} has no ${channel.kind} settings`);
  }

  private cached<T>(key: string, load: () => Promise<T>): Promise<T> {
    const now = Date.now();
    const hit = this.cache.get(key);
    if (hit && hit.expires > now) return hit.value as Promise<T>;
    const value = load().then(
      (loaded) => {
        this.lastKnown.set(key, { value: loaded, at: Date.now() });
        return loaded;
      },
      (error: unknown) => {
        const known = this.lastKnown.get(key);
        const unreachable = error instanceof MongoNetworkError || error instanceof MongoServerSelectionError;
        if (unreachable && known && Date.now() - known.at < STALE_LIMIT_MS) return known.value as T;
        throw error;
      },
    );
    this.cache.set(key, { value: value as Promise<ResolvedEntryPoint | undefined>, expires: now + (this.options.ttlMs ?? 5_000) });
    value.catch(() => this.cache.delete(key));
    return value;
  }
}
