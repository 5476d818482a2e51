import { isIP } from 'node:net';
import { z } from 'zod';

/** Express's `trust proxy`: false (the socket's address is the client's), a hop count, or the proxies' addresses. */
export type TrustProxy = false | number | string[];

function isAddressOrRange(entry: string): boolean {
  if (entry === 'loopback') return true;
  const [address = '', prefix, ...rest] = entry.split('/');
  const version = isIP(address);
  if (version === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (version === 4 ? 32 : 128);
}

/**
 * TRUST_PROXY: unset, "false" or "0" trusts no proxy (X-Forwarded-For is ignored); a number trusts that
 * many hops; otherwise a comma-separated list of proxy addresses or CIDR ranges ("loopback" for a proxy on
 * this host). "true" is refused: trusting every peer would let any client pick its address.
 */
export const trustProxySchema = z
  .string()
  .trim()
  .transform((raw, ctx): TrustProxy => {
    if (raw === '' || raw === 'false') return false;
    if (/^\d+$/.test(raw)) {
      const hops = Number(raw);
      if (hops <= 10) return hops === 0 ? false : hops;
      ctx.addIssue({ code: 'custom', message: 'a hop count must be 0–10' });
      return z.NEVER;
    }
    const entries = raw.split(',').map((entry) => entry.trim()).filter(Boolean);
    const bad = entries.filter((entry) => !isAddressOrRange(entry));
    if (bad.length > 0 || entries.length === 0) {
      ctx.addIssue({ code: 'custom', message: 'must be "false", a hop count, or comma-separated proxy addresses / CIDR ranges (or "loopback")' });
      return z.NEVER;
    }
    return entries;
  });

/** TRUST_PROXY's value for a TrustProxy (config's inverse). */
export const trustProxyToEnv = (value: TrustProxy): string => (value === false ? 'false' : Array.isArray(value) ? value.join(',') : String(value));
