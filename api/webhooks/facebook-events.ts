import { z } from 'zod';

/** The parts of Messenger Platform webhook events Switchboard uses; everything else passes through. */
const attachment = z.object({ type: z.string(), payload: z.object({ url: z.string().optional() }).passthrough().nullish() }).passthrough();

export const messagingEventSchema = z
  .object({
    sender: z.object({ id: z.string().min(1) }),
    recipient: z.object({ id: z.string().min(1) }),
    timestamp: z.number().int().positive(),
    message: z
      .object({
        mid: z.string().min(1),
        text: z.string().max(20_000).optional(),
        is_echo: z.boolean().optional(),
        metadata: z.string().optional(),
        attachments: z.array(attachment).max(20).optional(),
      })
      .passthrough()
      .optional(),
    postback: z.object({ mid: z.string().optional(), title: z.string().max(1000).optional(), payload: z.string().max(1000).optional() }).passthrough().optional(),
    delivery: z.object({ mids: z.array(z.string()).max(1000).optional(), watermark: z.number().int() }).passthrough().optional(),
    read: z.object({ watermark: z.number().int() }).passthrough().optional(),
  })
  .passthrough();

export const facebookWebhookSchema = z
  .object({
    object: z.string(),
    // Page ids are numeric: anything else is refused before any lookup.
    entry: z.array(z.object({ id: z.string().regex(/^[0-9]{1,20}$/, 'must be a numeric Page id'), time: z.number().optional(), messaging: z.array(messagingEventSchema).max(1000).default([]) }).passthrough()).max(1000),
  })
  .openapi('FacebookWebhook');

export type MessagingEvent = z.infer<typeof messagingEventSchema>;
