import { randomUUID } from 'node:crypto';
import type { FieldEncryption } from '../../../db/field-encryption.js';
import { channelSecretContext, type ChannelDirectory } from '../../../db/repositories/channel-directory.js';
import { entryPointId, type ChannelDocument, type ChannelRepository, type EntryPointDocument } from '../../../db/repositories/channels.js';
import type { BrandRepository } from '../../../db/repositories/brands.js';
import type { AuditLog } from '../../../db/repositories/audit-log.js';
import { platformActor } from '../accounts/dependencies.js';
import { ConflictError, NotFoundError, ValidationError } from '../../errors.js';
import { isDuplicateKey } from '../../../db/errors.js';

export interface AdminDependencies {
  brands: BrandRepository;
  channels: ChannelRepository;
  fields: FieldEncryption;
  directory: ChannelDirectory;
  audit: AuditLog;
}

export type CreateChannelInput =
  | { kind: 'twilio'; accountSid: string; authToken: string; numbers: { phoneNumber: string; queueId: string }[] }
  | { kind: 'facebook'; pageId: string; pageAccessToken: string; appSecret: string; verifyToken: string; queueId: string };

export interface UpdateChannelInput {
  status?: 'active' | 'disabled';
  authToken?: string;
  numbers?: { phoneNumber: string; queueId: string }[];
  pageAccessToken?: string;
  appSecret?: string;
  verifyToken?: string;
  queueId?: string;
}

/** What the API shows of a channel: never a secret, only that it is set. */
export function toChannelView(channel: ChannelDocument, entryPoints: EntryPointDocument[]) {
  return {
    id: channel._id,
    brandId: channel.brandId,
    kind: channel.kind,
    status: channel.status,
    entryPoints: entryPoints.map((entry) => ({ id: entry._id, address: entry.address, queueId: entry.queueId })),
    ...(channel.twilio ? { twilio: { accountSid: channel.twilio.accountSid, authToken: 'set' as const } } : {}),
    ...(channel.facebook ? { facebook: { pageId: channel.facebook.pageId, pageAccessToken: 'set' as const, appSecret: 'set' as const, verifyToken: 'set' as const } } : {}),
    createdAt: channel.createdAt.toISOString(),
    updatedAt: channel.updatedAt.toISOString(),
  };
}

async function claimEntryPoints(deps: AdminDependencies, entryPoints: EntryPointDocument[]) {
  const claimed: string[] = [];
  try {
    for (const entryPoint of entryPoints) {
      await deps.channels.insertEntryPoint(entryPoint);
      claimed.push(entryPoint._id);
    }
  } catch (error) {
    for (const id of claimed) await deps.channels.deleteEntryPoint(id);
    if (isDuplicateKey(error)) {
      throw new ConflictError({ code: 'entry_point_taken', message: 'A number or page in this request already belongs to a channel' });
    }
    throw error;
  }
}

export async function ownedChannel(deps: AdminDependencies, brandId: string, channelId: string): Promise<ChannelDocument> {
  const channel = await deps.channels.get(channelId);
  if (!channel || channel.brandId !== brandId) throw new NotFoundError({ code: 'channel_not_found', message: `No channel "${channelId}" in brand "${brandId}"` });
  return channel;
}

export async function createChannel(deps: AdminDependencies, brandId: string, input: CreateChannelInput) {
  if (!(await deps.brands.get(brandId))) throw new NotFoundError({ code: 'brand_not_found', message: `No brand "${brandId}"` });
  const id = `ch_${randomUUID()}`;
  const now = new Date();
  const seal = (field: string, value: string) => deps.fields.seal(value, channelSecretContext(id, field));
  const entry = (address: string, queueId: string): EntryPointDocument => ({
    _id: entryPointId(input.kind, address), brandId, channelId: id, kind: input.kind, address, queueId, createdAt: now,
  });
  const channel: ChannelDocument =
    input.kind === 'twilio'
      ? { _id: id, brandId, kind: 'twilio', status: 'active', twilio: { accountSid: input.accountSid, authToken: seal('authToken', input.authToken) }, createdAt: now, updatedAt: now }
      : {
          _id: id, brandId, kind: 'facebook', status: 'active',
          facebook: { pageId: input.pageId, pageAccessToken: seal('pageAccessToken', input.pageAccessToken), appSecret: seal('appSecret', input.appSecret), verifyToken: seal('verifyToken', input.verifyToken) },
          createdAt: now, updatedAt: now,
        };
  const entryPoints = input.kind === 'twilio' ? input.numbers.map((number) => entry(number.phoneNumber, number.queueId)) : [entry(input.pageId, input.queueId)];
  await claimEntryPoints(deps, entryPoints);
  try {
    await deps.channels.insert(channel);
  } catch (error) {
    // Free the numbers again: a claim by a channel that does not exist would block them for good.
    for (const entryPoint of entryPoints) await deps.channels.deleteEntryPoint(entryPoint._id);
    throw error;
  }
  deps.directory.invalidate();
  await deps.audit.record({
    brandId, action: 'channel.created', actor: platformActor, target: { kind: 'channel', id },
    details: { kind: channel.kind, entryPoints: entryPoints.map((entry) => ({ id: entry._id, queueId: entry.queueId })) },
  });
  return toChannelView(channel, entryPoints);
}

export async function updateChannel(deps: AdminDependencies, brandId: string, channelId: string, input: UpdateChannelInput) {
  const channel = await ownedChannel(deps, brandId, channelId);
  const foreign =
    channel.kind === 'twilio'
      ? (['pageAccessToken', 'appSecret', 'verifyToken', 'queueId'] as const).filter((field) => input[field] !== undefined)
      : (['authToken', 'numbers'] as const).filter((field) => input[field] !== undefined);
  if (foreign.length > 0) {
    throw new ValidationError({
      message: `A ${channel.kind} channel has no ${foreign.join(', ')}`,
      details: foreign.map((field) => ({ in: 'body', path: field, message: `not a ${channel.kind} channel setting` })),
    });
  }
  const seal = (field: string, value: string) => deps.fields.seal(value, channelSecretContext(channelId, field));
  const changes: Record<string, unknown> = {};
  if (input.status) changes.status = input.status;
  if (channel.kind === 'twilio' && input.authToken) changes['twilio.authToken'] = seal('authToken', input.authToken);
  if (channel.kind === 'facebook') {
    if (input.pageAccessToken) changes['facebook.pageAccessToken'] = seal('pageAccessToken', input.pageAccessToken);
    if (input.appSecret) changes['facebook.appSecret'] = seal('appSecret', input.appSecret);
    if (input.verifyToken) changes['facebook.verifyToken'] = seal('verifyToken', input.verifyToken);
  }
  const current = await deps.channels.entryPointsOf(channelId);
  if (channel.kind === 'twilio' && input.numbers) {
    const wanted = new Map(input.numbers.map((number) => [entryPointId('twilio', number.phoneNumber), number]));
    const added = [...wanted.entries()].filter(([id]) => !current.some((entry) => entry._id === id));
    await claimEntryPoints(
      deps,
      added.map(([id, number]) => ({ _id: id, brandId, channelId, kind: 'twilio', address: number.phoneNumber, queueId: number.queueId, createdAt: new Date() })),
    );
    for (const entry of current) {
      const keep = wanted.get(entry._id);
      if (!keep) await deps.channels.deleteEntryPoint(entry._id);
      else if (keep.queueId !== entry.queueId) await deps.channels.updateEntryPoint(entry._id, { queueId: keep.queueId });
    }
  }
  if (channel.kind === 'facebook' && input.queueId) {
    for (const entry of current) await deps.channels.updateEntryPoint(entry._id, { queueId: input.queueId });
  }
  const updated = await deps.channels.update(channelId, changes);
  deps.directory.invalidate();
  if (!updated) throw new NotFoundError({ code: 'channel_not_found', message: `No channel "${channelId}" in brand "${brandId}"` });
  const after = await deps.channels.entryPointsOf(channelId);
  await deps.audit.record({
    brandId, action: 'channel.updated', actor: platformActor, target: { kind: 'channel', id: channelId },
    // Names of what changed, never a secret's value.
    details: {
      changed: Object.keys(input).filter((field) => input[field as keyof UpdateChannelInput] !== undefined).sort(),
      ...(input.status && input.status !== channel.status ? { status: { from: channel.status, to: input.status } } : {}),
      entryPoints: after.map((entry) => ({ id: entry._id, queueId: entry.queueId })),
    },
  });
  return toChannelView(updated, after);
}
