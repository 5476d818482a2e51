import { randomUUID } from 'node:crypto';
import type { Collection, Db, Filter } from 'mongodb';
import { currentRequestContext } from '../../observability/request-context.js';
import { Collections } from '../collections.js';

export type AuditAction =
  | 'auth.login' | 'auth.login_failed' | 'auth.logout' | 'user.locked' | 'user.unlocked' | 'user.created' | 'user.updated'
  | 'user.disabled' | 'user.password_changed' | 'profile.created' | 'profile.permissions_changed' | 'policy.changed'
  | 'conversation.assigned' | 'conversation.accepted' | 'conversation.transferred' | 'conversation.closed' | 'conversation.reopened'
  | 'form.sent' | 'form.submitted' | 'form.revealed' | 'form.reveal_refused'
  | 'privacy.exported' | 'privacy.erased'
  | 'brand.created' | 'brand.updated' | 'api_token.created' | 'api_token.revoked' | 'channel.created' | 'channel.updated'
  | 'permission.granted' | 'permission.revoked';

export interface AuditEntry {
  _id: string;
  brandId: string;
  at: Date;
  action: AuditAction;
  /** Who did it: a user, the brand's integration token, the platform admin, or the system. */
  actor: { kind: 'user' | 'integration' | 'platform' | 'system'; id?: string };
  /** What it was done to (user id, conversation id, profile id…). */
  target?: { kind: string; id: string };
  /** Ids and settings only: never passwords, tokens or message content. */
  details?: Record<string, unknown>;
  /** The HTTP request it came from (absent for workflows and schedules): client address and request id. */
  source?: { ip?: string; requestId: string };
}

/** Append-only: this class inserts and reads, nothing else. */
export class AuditLog {
  private readonly entries: Collection<AuditEntry>;

  constructor(db: Db) {
    this.entries = db.collection<AuditEntry>(Collections.auditLog);
  }

  async record(entry: Omit<AuditEntry, '_id' | 'at'> & { id?: string; at?: Date }): Promise<void> {
    const { id, at, ...rest } = entry;
    const request = currentRequestContext();
    const source = rest.source ?? (request ? { ...(request.sourceIp ? { ip: request.sourceIp } : {}), requestId: request.requestId } : undefined);
    // A caller-chosen id makes retried writes (activities) idempotent.
    await this.entries.updateOne({ _id: id ?? randomUUID() }, { $setOnInsert: { ...rest, ...(source ? { source } : {}), at: at ?? new Date() } }, { upsert: true });
  }

  async query(brandId: string, options: { action?: AuditAction; targetId?: string; before?: Date; limit: number }): Promise<AuditEntry[]> {
    const filter: Filter<AuditEntry> = { brandId };
    if (options.action) filter.action = options.action;
    if (options.targetId) filter['target.id'] = options.targetId;
    if (options.before) filter.at = { $lt: options.before };
    return this.entries.find(filter).sort({ at: -1 }).limit(options.limit).toArray();
  }
}
