import type { Db } from 'mongodb';
import type { FieldEncryption } from '../../db/field-encryption.js';
import type { ChannelDirectory } from '../../db/repositories/channel-directory.js';
import { ConversationRepository } from '../../db/repositories/conversations.js';
import { MessageRepository } from '../../db/repositories/messages.js';
import { OptOutRepository } from '../../db/repositories/opt-outs.js';

export interface ConversationActivityDependencies {
  db: Db;
  fields: FieldEncryption;
  directory: ChannelDirectory;
  providers: { twilioApiBaseUrl: string; facebookGraphBaseUrl: string; timeoutMs: number };
  /** Where providers reach our webhooks (status callbacks). */
  publicBaseUrl: string;
}

export function repositories(db: Db) {
  return {
    conversations: new ConversationRepository(db),
    messages: new MessageRepository(db),
    optOuts: new OptOutRepository(db),
  };
}
