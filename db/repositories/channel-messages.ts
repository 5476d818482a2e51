import type { Collection, Db } from 'mongodb';
import { Collections } from '../collections.js';
import type { ConversationDocument } from './conversations.js';
import { MessageRepository, type MessageDocument } from './messages.js';

/** The channel a provider callback was verified for: it may only name messages of that channel's conversations. */
export interface ChannelScope {
  brandId: string;
  channelId: string;
}

/**
 * Messages as provider callbacks name them (our id in a Twilio status URL, Messenger mids and read
 * watermarks). Ids are global across brands, so each lookup is narrowed to the brand and to the
 * conversations on the channel whose credentials verified the callback.
 */
export class ChannelMessages {
  private readonly messages: Collection<MessageDocument>;
  private readonly conversations: Collection<ConversationDocument>;
  private readonly repository: MessageRepository;

  constructor(db: Db) {
    this.repository = new MessageRepository(db);
    this.messages = db.collection<MessageDocument>(Collections.messages);
    this.conversations = db.collection<ConversationDocument>(Collections.conversations);
  }

  async byId(scope: ChannelScope, id: string): Promise<MessageDocument[]> {
    return this.onChannel(scope, await this.messages.find({ _id: id, brandId: scope.brandId }).limit(1).toArray());
  }

  async byProviderIds(scope: ChannelScope, providerMessageIds: string[]): Promise<MessageDocument[]> {
    if (providerMessageIds.length === 0) return [];
    const found = await this.messages.find({ brandId: scope.brandId, providerMessageId: { $in: providerMessageIds } }).limit(providerMessageIds.length).toArray();
    return this.onChannel(scope, found);
  }

  /** Messenger read receipts: what we sent up to the watermark in the consumer's latest conversation on this channel. */
  async outboundReadUpTo(scope: ChannelScope, conversationWorkflowId: string, watermark: Date): Promise<MessageDocument[]> {
    const [latest] = await this.conversations
      .find({ workflowId: conversationWorkflowId, brandId: scope.brandId, channelId: scope.channelId })
      .sort({ openedAt: -1 })
      .limit(1)
      .toArray();
    return latest ? this.repository.outboundUpTo({ brandId: scope.brandId, conversationId: latest._id }, watermark) : [];
  }

  private async onChannel(scope: ChannelScope, candidates: MessageDocument[]): Promise<MessageDocument[]> {
    if (candidates.length === 0) return [];
    const conversationIds = [...new Set(candidates.map((message) => message.conversationId))];
    const onChannel = await this.conversations
      .find({ _id: { $in: conversationIds }, brandId: scope.brandId, channelId: scope.channelId }, { projection: { _id: 1 } })
      .toArray();
    const ids = new Set(onChannel.map((conversation) => conversation._id));
    return candidates.filter((message) => ids.has(message.conversationId));
  }
}
