import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/index.js';
import { problemsOf } from '../support/config-problems.js';

const trustProxy = (value?: string) => loadConfig(value === undefined ? {} : { TRUST_PROXY: value }).http.trustProxy;

const problemOf = (value: string) => problemsOf({ TRUST_PROXY: value }).join('\n');

describe('TRUST_PROXY', () => {
  it('trusts no proxy by default, so X-Forwarded-For never picks the client address', () => {
    expect(trustProxy()).toBe(false);
    expect(trustProxy('')).toBe(false);
    expect(trustProxy('false')).toBe(false);
    expect(trustProxy('0')).toBe(false);
  });

  it('takes a hop count', () => {
    expect(trustProxy('1')).toBe(1);
    expect(trustProxy('2')).toBe(2);
  });

  it('takes a comma-separated list of proxy addresses and CIDR ranges, or "loopback"', () => {
    expect(trustProxy('10.0.0.7, 192.168.0.0/16,fd00::/8 ,::1')).toEqual(['10.0.0.7', '192.168.0.0/16', 'fd00::/8', '::1']);
    expect(trustProxy('loopback')).toEqual(['loopback']);
  });

  it('refuses "true" (every peer trusted), names, private-range keywords and malformed ranges', () => {
    for (const value of ['true', 'uniquelocal', 'proxy.example.com', '10.0.0.0/33', '10.0.0.1/8/1', '999.1.1.1', '11']) {
      expect(problemOf(value), value).toMatch(/^TRUST_PROXY: /);
    }
  });
});
