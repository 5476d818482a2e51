import type { Collection, Db } from 'mongodb';
import { Collections } from '../collections.js';
import type { EncryptedField } from '../field-encryption.js';

export type ChannelKind = 'twilio' | 'facebook';
export type ChannelStatus = 'active' | 'disabled';

export interface ChannelDocument {
  _id: string;
  brandId: string;
  kind: ChannelKind;
  status: ChannelStatus;
  /** Twilio: account SID and auth token (encrypted). */
  twilio?: { accountSid: string; authToken: EncryptedField };
  /** Facebook: the page and its app's secrets (encrypted). */
  facebook?: { pageId: string; pageAccessToken: EncryptedField; appSecret: EncryptedField; verifyToken: EncryptedField };
  createdAt: Date;
  updatedAt: Date;
}

/** A consumer-facing address of a channel: a Twilio number or a Facebook page. */
export interface EntryPointDocument {
  /** `twilio:+14155550100` or `facebook:<page id>`: what an inbound event names. */
  _id: string;
  brandId: string;
  channelId: string;
  kind: ChannelKind;
  address: string;
  queueId: string;
  createdAt: Date;
}

export function entryPointId(kind: ChannelKind, address: string): string {
  return `${kind}:${address}`;
}

export class ChannelRepository {
  private readonly channels: Collection<ChannelDocument>;
  private readonly entryPoints: Collection<EntryPointDocument>;

  constructor(db: Db) {
    this.channels = db.collection<ChannelDocument>(Collections.channels);
    this.entryPoints = db.collection<EntryPointDocument>(Collections.entryPoints);
  }

  async insert(channel: ChannelDocument): Promise<void> {
    await this.channels.insertOne(channel);
  }

  get(id: string): Promise<ChannelDocument | null> {
    return this.channels.findOne({ _id: id });
  }

  listForBrand(brandId: string): Promise<ChannelDocument[]> {
    return this.channels.find({ brandId }).sort({ createdAt: 1 }).limit(1000).toArray();
  }

  async update(id: string, changes: Record<string, unknown>): Promise<ChannelDocument | null> {
    return this.channels.findOneAndUpdate({ _id: id }, { $set: { ...changes, updatedAt: new Date() } }, { returnDocument: 'after' });
  }

  /** Claims an address for a channel; rejects with MongoServerError 11000 when another channel has it. */
  async insertEntryPoint(entryPoint: EntryPointDocument): Promise<void> {
    await this.entryPoints.insertOne(entryPoint);
  }

  async updateEntryPoint(id: string, changes: Pick<EntryPointDocument, 'queueId'>): Promise<void> {
    await this.entryPoints.updateOne({ _id: id }, { $set: changes });
  }

  async deleteEntryPoint(id: string): Promise<void> {
    await this.entryPoints.deleteOne({ _id: id });
  }

  getEntryPoint(id: string): Promise<EntryPointDocument | null> {
    return this.entryPoints.findOne({ _id: id });
  }

  entryPointsOf(channelId: string): Promise<EntryPointDocument[]> {
    return this.entryPoints.find({ channelId }).sort({ _id: 1 }).toArray();
  }
}
