import type { Db } from 'mongodb';
import { Collections } from '../collections.js';
import type { FieldEncryption } from '../field-encryption.js';
import { BrandRepository, type BrandDocument } from './brands.js';
import { ChannelRepository, type ChannelDocument, type EntryPointDocument } from './channels.js';
import { LookupCache, type LookupCacheLimits } from './lookup-cache.js';

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

const defaultLimits: LookupCacheLimits = {
  maxFound: 10_000,
  maxMissing: 1_000,
  ttlMs: 5_000,
  missingTtlMs: 5_000,
  staleLimitMs: 24 * 60 * 60_000,
};

/**
 * Looks up who an inbound event or an outbound send belongs to, with the
 * channel's secrets decrypted. Cached briefly: the webhook ack path must stay
 * one Temporal call plus verification, not several database round trips. While
 * the database is unreachable the last answer it gave (at most 24 h old) is served,
 * so webhooks still verify and accept. Every cache is bounded (see LookupCache).
 */
export class ChannelDirectory {
  private readonly brands: BrandRepository;
  private readonly channels: ChannelRepository;
  private readonly entryPointCache: LookupCache<EntryPointDocument>;
  private readonly channelCache: LookupCache<ResolvedChannel>;
  private readonly facebookChannelIds: LookupCache<{ ids: string[] }>;

  constructor(private readonly options: { db: Db; fields: FieldEncryption; ttlMs?: number; limits?: Partial<LookupCacheLimits> }) {
    this.brands = new BrandRepository(options.db);
    this.channels = new ChannelRepository(options.db);
    const limits = { ...defaultLimits, ...(options.ttlMs ? { ttlMs: options.ttlMs, missingTtlMs: options.ttlMs } : {}), ...options.limits };
    this.entryPointCache = new LookupCache(limits);
    this.channelCache = new LookupCache(limits);
    this.facebookChannelIds = new LookupCache({ ...limits, maxFound: 1, maxMissing: 1 });
  }

  async resolveEntryPoint(entryPointId: string): Promise<ResolvedEntryPoint | undefined> {
    const entryPoint = await this.entryPointCache.get(entryPointId, async () => (await this.channels.getEntryPoint(entryPointId)) ?? undefined);
    return entryPoint && this.withChannel(entryPoint);
  }

  /**
   * Which of these entry points exist, in one database query for all those not in memory (duplicates
   * looked up once). Their channels are not loaded: callers verify a signature before they fan out.
   */
  async findEntryPoints(entryPointIds: string[]): Promise<EntryPointDocument[]> {
    const found = await this.entryPointCache.getMany(entryPointIds, async (ids) => {
      const documents = await this.options.db
        .collection<EntryPointDocument>(Collections.entryPoints)
        .find({ _id: { $in: ids } })
        .limit(ids.length)
        .toArray();
      return new Map(documents.map((document) => [document._id, document]));
    });
    return [...new Set(entryPointIds)].flatMap((id) => found.get(id) ?? []);
  }

  resolveChannel(channelId: string): Promise<ResolvedChannel | undefined> {
    return this.channelCache.get(channelId, () => this.loadChannel(channelId));
  }

  /** Every active Facebook channel with its secrets (bounded: a deployment has few). */
  async activeFacebookChannels(): Promise<ResolvedChannel[]> {
    const list = await this.facebookChannelIds.get('active', async () => {
      const channels = await this.options.db
        .collection<ChannelDocument>(Collections.channels)
        .find({ kind: 'facebook', status: 'active' }, { projection: { _id: 1 } })
        .limit(1000)
        .toArray();
      return { ids: channels.map((channel) => channel._id) };
    });
    const resolved = await Promise.all((list?.ids ?? []).map((id) => this.resolveChannel(id)));
    return resolved.filter((item): item is ResolvedChannel => item?.active === true);
  }

  /** After an admin change: the next lookup reads the database. */
  invalidate(): void {
    this.entryPointCache.clear();
    this.channelCache.clear();
    this.facebookChannelIds.clear();
  }

  /** How many keys the caches hold, each part at most its limit. */
  cacheSizes() {
    return { limits: this.entryPointCache.limits, entryPoints: this.entryPointCache.sizes, channels: this.channelCache.sizes };
  }

  private async withChannel(entryPoint: EntryPointDocument): Promise<ResolvedEntryPoint | undefined> {
    const resolved = await this.resolveChannel(entryPoint.channelId);
    return resolved ? { ...resolved, entryPoint } : undefined;
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
}
