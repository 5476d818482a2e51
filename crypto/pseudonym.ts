import { createHmac } from 'node:crypto';

/**
 * Stable, non-reversible stand-in for a consumer address (phone number, PSID)
 * within a brand and channel: used in ids, workflow ids and lookups so the
 * address itself never appears where it cannot be encrypted (Temporal
 * visibility, indexes, logs).
 */
export function consumerPseudonym(key: Buffer, input: { brandId: string; channel: string; address: string }): string {
  return createHmac('sha256', key)
    .update(`${input.brandId}\u0000${input.channel}\u0000${input.address}`)
    .digest('base64url')
    .slice(0, 27);
}
