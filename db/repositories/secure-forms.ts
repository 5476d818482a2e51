import type { Collection, Db } from 'mongodb';
import { Collections } from '../collections.js';

export interface SecureFormDocument {
  _id: string;
  brandId: string;
  conversationId: string;
  agentId: string;
  templateId: string;
  title: string;
  intro?: string;
  /** The template's fields as they were when the form was sent: later template edits never change a form in flight. */
  fields: { name: string; label: string; type: string; offRecord: boolean; required?: boolean; help?: string }[];
  status: 'sent' | 'opened' | 'submitted' | 'expired';
  sentAt: Date;
  linkExpiresAt: Date;
  openedAt?: Date;
  submittedAt?: Date;
  vaultRecordId?: string;
  offRecordFields?: string[];
  offRecordExpiresAt?: Date;
  /** The task queue of the API process holding the off-the-record answers. */
  offRecordHolder?: string;
  offRecordExpired?: boolean;
}

export function secureForms(db: Db): Collection<SecureFormDocument> {
  return db.collection<SecureFormDocument>(Collections.secureForms);
}
