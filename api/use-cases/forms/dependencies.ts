import type { Client } from '@temporalio/client';
import type { Db } from 'mongodb';
import type { OffRecordAnswers } from '../../../services/forms/off-record/answers.js';
import type { OneTimeKeys } from '../../../services/forms/one-time-keys.js';
import type { Vault } from '../../../services/forms/vault.js';
import type { AuditLog } from '../../../db/repositories/audit-log.js';
import type { BrandRepository } from '../../../db/repositories/brands.js';
import type { ConversationRepository } from '../../../db/repositories/conversations.js';

export interface FormDependencies {
  db: Db;
  client: Client;
  taskQueue: string;
  publicBaseUrl: string;
  brands: BrandRepository;
  conversations: ConversationRepository;
  keys: OneTimeKeys;
  vault: Vault;
  offRecord: OffRecordAnswers;
  audit: AuditLog;
  ttl: { linkMs: number; submitMs: number; revealMs: number; offRecordMs: number };
}
