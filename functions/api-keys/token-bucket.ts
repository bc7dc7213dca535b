// Token-bucket arithmetic for per-key rate limits: pure, so the store's concurrency handling stays apart from it.

export interface Bucket {
  /** Tokens left; fractional, since the bucket refills continuously. */
  tokens: number;
  /** Epoch milliseconds up to which the refill has been counted. */
  refilledAt: number;
}

export type TakeOutcome =
  { allowed: true; bucket: Bucket } | { allowed: false; bucket: Bucket; retryAfterSeconds: number };

const MINUTE_MS = 60_000;

/**
 * The bucket as it stands at `now`: `perMinute` tokens come back each minute, never more than `perMinute` in all.
 * A new key starts full. A clock behind the stored time (another container's) refills nothing and moves nothing
 * back, so a skewed clock can never mint tokens.
 */
export function refill(bucket: Bucket | undefined, perMinute: number, now: number): Bucket {
  if (!bucket) return { tokens: perMinute, refilledAt: now };
  const elapsed = Math.max(0, now - bucket.refilledAt);
  return {
    tokens: Math.min(perMinute, bucket.tokens + (elapsed * perMinute) / MINUTE_MS),
    refilledAt: Math.max(bucket.refilledAt, now),
  };
}

/** Whole seconds until the bucket holds one token again; at least 1, as `Retry-After: 0` invites a busy loop. */
export function secondsUntilToken(bucket: Bucket, perMinute: number): number {
  const missing = Math.max(0, 1 - bucket.tokens);
  return Math.max(1, Math.ceil((missing * MINUTE_MS) / perMinute / 1000));
}

/** Takes one token for a request, or says how long until one is back. */
export function take(bucket: Bucket | undefined, perMinute: number, now: number): TakeOutcome {
  const current = refill(bucket, perMinute, now);
  if (current.tokens >= 1) {
    return { allowed: true, bucket: { tokens: current.tokens - 1, refilledAt: current.refilledAt } };
  }
  return { allowed: false, bucket: current, retryAfterSeconds: secondsUntilToken(current, perMinute) };
}

/**
 * When an idle bucket can vanish (epoch seconds, for the table's TTL): an empty bucket is full again a minute after
 * its last refill, and a full bucket holds nothing a new one would not. A minute's margin on top.
 */
export function bucketExpiry(refilledAt: number): number {
  return Math.ceil((refilledAt + 2 * MINUTE_MS) / 1000);
}
