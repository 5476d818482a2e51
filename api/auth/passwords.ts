import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const params = { N: 2 ** 15, r: 8, p: 1 };
const keyLength = 32;
// scrypt needs 128·N·r bytes (32 MiB here), exactly Node's default ceiling: leave headroom.
const maxmem = 64 * 1024 * 1024;

function derive(password: string, salt: Buffer, options: ScryptOptions, length: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFKC'), salt, length, { ...options, maxmem }, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

/** `scrypt$N$r$p$<salt base64>$<hash base64>`: the parameters travel with the hash, so they can be raised later. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, params, keyLength);
  return ['scrypt', params.N, params.r, params.p, salt.toString('base64'), key.toString('base64')].join('$');
}

export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const actual = await derive(password, Buffer.from(salt, 'base64'), { N: Number(n), r: Number(r), p: Number(p) }, expected.length);
  return timingSafeEqual(actual, expected);
}

// The hash of a random password nobody kept, with the same parameters as real hashes.
const dummyHash = 'scrypt$32768$8$1$AUUau4XZJ50vkXKYfF9EwQ==$23VaJ9R5kqPcFZ1PP6F677MXsO+OSg33heMud5msMag=';

/** Costs what checking a real password costs, so an unknown email cannot be told from a wrong password by timing. */
export async function burnPasswordCheck(password: string): Promise<false> {
  await verifyPassword(dummyHash, password);
  return false;
}
