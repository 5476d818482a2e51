import { nonBlankText } from '../../openapi/schemas.js'; // also adds .openapi() to zod
import { z } from 'zod';

export const brandIdSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'lowercase letters, digits and -, 2–63 characters');
export const queueIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, _ and -').default('default');
const e164 = z.string().regex(/^\+[1-9]\d{1,14}$/, 'must be an E.164 number, e.g. +14155550100');
const secret = z.string().min(8).max(512);

const expiresInDays = z.number().int().min(1).max(3650).optional().describe('Days until the token stops working; absent: until revoked');

export const apiTokenViewSchema = z
  .object({ id: z.string(), createdAt: z.string(), expiresAt: z.string().optional().describe('Absent: never expires') })
  .openapi('ApiToken');

export const createApiTokenSchema = z.object({ expiresInDays }).strict().openapi('CreateApiToken');

export const brandViewSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    status: z.enum(['active', 'disabled']),
    helpText: z.string(),
    inactivityTimeoutMinutes: z.number().optional(),
    apiTokens: z.array(apiTokenViewSchema),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Brand');

export const createBrandSchema = z
  .object({
    id: brandIdSchema,
    name: nonBlankText(200),
    helpText: nonBlankText(480).optional(),
    inactivityTimeoutMinutes: z.number().int().min(1).max(60 * 24 * 30).optional(),
    apiTokenExpiresInDays: expiresInDays,
  })
  .strict()
  .openapi('CreateBrand');

export const updateBrandSchema = createBrandSchema.omit({ id: true, apiTokenExpiresInDays: true }).partial().extend({ status: z.enum(['active', 'disabled']).optional() }).strict().openapi('UpdateBrand');

export const numbersSchema = z
  .array(z.object({ phoneNumber: e164, queueId: queueIdSchema }).strict())
  .min(1)
  .max(100)
  .refine((numbers) => new Set(numbers.map((n) => n.phoneNumber)).size === numbers.length, 'each number once');

export const createChannelSchema = z
  .discriminatedUnion('kind', [
    z.object({ kind: z.literal('twilio'), accountSid: z.string().regex(/^AC[0-9a-f]{32}$/, 'a Twilio account SID (AC…)'), authToken: secret, numbers: numbersSchema }).strict(),
    z
      .object({ kind: z.literal('facebook'), pageId: z.string().regex(/^[0-9]{1,20}$/, 'a numeric Facebook Page id (at most 20 digits)'), pageAccessToken: secret, appSecret: secret, verifyToken: secret, queueId: queueIdSchema })
      .strict(),
  ])
  .openapi('CreateChannel');

export const updateChannelSchema = z
  .object({
    status: z.enum(['active', 'disabled']).optional(),
    authToken: secret.optional(),
    numbers: numbersSchema.optional(),
    pageAccessToken: secret.optional(),
    appSecret: secret.optional(),
    verifyToken: secret.optional(),
    queueId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/).optional(),
  })
  .strict()
  .openapi('UpdateChannel');

export const channelViewSchema = z
  .object({
    id: z.string(),
    brandId: z.string(),
    kind: z.enum(['twilio', 'facebook']),
    status: z.enum(['active', 'disabled']),
    entryPoints: z.array(z.object({ id: z.string(), address: z.string(), queueId: z.string() })),
    twilio: z.object({ accountSid: z.string(), authToken: z.literal('set') }).optional(),
    facebook: z.object({ pageId: z.string(), pageAccessToken: z.literal('set'), appSecret: z.literal('set'), verifyToken: z.literal('set') }).optional(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Channel');
