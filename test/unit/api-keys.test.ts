// API key secrets and the token-bucket arithmetic behind per-key rate limits, without a store.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ApiKeyId } from '../../functions/api-keys/schemas.ts';
import {
  displayPrefix,
  hashApiKey,
  isWellFormedApiKey,
  newApiKeyId,
  newApiKeySecret,
} from '../../functions/api-keys/secrets.ts';
import {
  bucketExpiry,
  refill,
  secondsUntilToken,
  take,
  type Bucket,
} from '../../functions/api-keys/token-bucket.ts';

describe('API key secrets', () => {
  it('are vap_ and base64url of 32 random bytes', () => {
    const secret = newApiKeySecret();

    expect(secret).toMatch(/^vap_[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(secret.slice(4), 'base64url')).toHaveLength(32);
  });

  it('never repeat', () => {
    const secrets = new Set(Array.from({ length: 200 }, () => newApiKeySecret()));

    expect(secrets.size).toBe(200);
  });

  it('are recognised when issued here and refused otherwise', () => {
    const secret = newApiKeySecret();

    expect(isWellFormedApiKey(secret)).toBe(true);
    expect(isWellFormedApiKey(secret.slice(0, -1))).toBe(false);
    expect(isWellFormedApiKey(`${secret}A`)).toBe(false);
    expect(isWellFormedApiKey(secret.replace('vap_', 'vak_'))).toBe(false);
    expect(isWellFormedApiKey(`vap_${'+'.repeat(43)}`)).toBe(false);
    expect(isWellFormedApiKey(` ${secret}`)).toBe(false);
    expect(isWellFormedApiKey('')).toBe(false);
  });

  it('are stored as their SHA-256 in hex, which does not contain them', () => {
    const secret = newApiKeySecret();

    const hash = hashApiKey(secret);

    expect(hash).toBe(createHash('sha256').update(secret).digest('hex'));
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash).not.toContain(secret.slice(4, 16));
    expect(hashApiKey(newApiKeySecret())).not.toBe(hash);
  });

  it('show their first 12 characters as the prefix', () => {
    const secret = newApiKeySecret();

    expect(displayPrefix(secret)).toBe(secret.slice(0, 12));
    expect(displayPrefix(secret)).toMatch(/^vap_.{8}$/);
  });

  it('have ids of key_ and 16 hex characters, as the route parameter accepts', () => {
    const id = newApiKeyId();

    expect(id).toMatch(/^key_[0-9a-f]{16}$/);
    expect(ApiKeyId.safeParse(id).success).toBe(true);
    expect(newApiKeyId()).not.toBe(id);
  });
});

describe('token bucket', () => {
  const perMinute = 60;
  const start = 1_700_000_000_000;

  it('starts full for a key never seen', () => {
    expect(refill(undefined, perMinute, start)).toEqual({ tokens: 60, refilledAt: start });
  });

  it('refills continuously at the plan rate, never past capacity', () => {
    const empty: Bucket = { tokens: 0, refilledAt: start };

    expect(refill(empty, perMinute, start + 1000).tokens).toBeCloseTo(1);
    expect(refill(empty, perMinute, start + 30_000).tokens).toBeCloseTo(30);
    expect(refill(empty, perMinute, start + 10 * 60_000).tokens).toBe(60);
    expect(refill({ tokens: 0, refilledAt: start }, 600, start + 500).tokens).toBeCloseTo(5);
  });

  it('neither mints tokens nor moves time back for a clock behind the stored one', () => {
    const bucket: Bucket = { tokens: 3, refilledAt: start };

    expect(refill(bucket, perMinute, start - 5000)).toEqual({ tokens: 3, refilledAt: start });
  });

  it('caps a bucket left from a larger plan at the new capacity', () => {
    expect(refill({ tokens: 3000, refilledAt: start }, perMinute, start).tokens).toBe(60);
  });

  it('allows exactly the capacity in a burst, then refuses', () => {
    let bucket: Bucket | undefined;
    let allowed = 0;
    for (let i = 0; i < 100; i += 1) {
      const outcome = take(bucket, perMinute, start);
      if (!outcome.allowed) break;
      allowed += 1;
      bucket = outcome.bucket;
    }

    expect(allowed).toBe(60);
    expect(take(bucket, perMinute, start).allowed).toBe(false);
  });

  it('takes one token and counts the refill up to now', () => {
    const outcome = take({ tokens: 0.5, refilledAt: start }, perMinute, start + 700);

    expect(outcome.allowed).toBe(true);
    expect(outcome.bucket.tokens).toBeCloseTo(0.2);
    expect(outcome.bucket.refilledAt).toBe(start + 700);
  });

  it('says in whole seconds, at least one, when a token is back', () => {
    const refused = take({ tokens: 0, refilledAt: start }, perMinute, start);

    expect(refused).toMatchObject({ allowed: false, retryAfterSeconds: 1 });
    expect(secondsUntilToken({ tokens: 0, refilledAt: start }, 6)).toBe(10);
    expect(secondsUntilToken({ tokens: 0.5, refilledAt: start }, 6)).toBe(5);
    expect(secondsUntilToken({ tokens: 0.95, refilledAt: start }, 6)).toBe(1);
    expect(secondsUntilToken({ tokens: 0, refilledAt: start }, 3000)).toBe(1);
  });

  it('lets a bucket expire once it would be full again, whatever it held, with a minute to spare', () => {
    expect(bucketExpiry(start)).toBe(start / 1000 + 120);
    expect(bucketExpiry(start + 1)).toBe(Math.ceil((start + 1) / 1000) + 120);
  });
});
