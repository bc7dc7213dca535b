// Per-API-key rate limits: a token bucket per key in the table, sized by the tenant's plan.
//
// Why DynamoDB and not API Gateway usage plans: HTTP APIs have no usage plans and no API Gateway API keys (those
// belong to REST APIs), and the limit must follow the tenant's plan, which only the platform knows. A bucket item
// shared by every Lambda container is the one place all of a key's requests meet.
import { AppError } from '../http/errors.ts';
import { config } from '../config.ts';
import { isConditionFailure } from '../store/dynamodb.ts';
import { table } from '../store/table.ts';
import { getTenantPlan } from '../tenants/tenants.ts';
import { bucketExpiry, secondsUntilToken, take, type Bucket } from './token-bucket.ts';

/** Rounds of read-and-write before a request that keeps losing races for its bucket is refused. */
const ATTEMPTS = 5;

export class RateLimitedError extends AppError {
  constructor(perMinute: number, retryAfterSeconds: number) {
    super(
      429,
      'rate_limited',
      `This API key is limited to ${perMinute} requests a minute by the tenant's plan; retry in ${retryAfterSeconds} s.`,
      { requests_per_minute: perMinute, retry_after_seconds: retryAfterSeconds },
      { 'retry-after': String(retryAfterSeconds) },
    );
  }
}

const planLimits = new Map<string, { perMinute: number; until: number }>();

/**
 * The tenant's requests a minute, kept as long as a verified key is: the plan is read once per key lookup, not on
 * every request, so an operator's plan change reaches the limit within API_KEY_CACHE_SECONDS.
 */
async function requestsPerMinute(tenantId: string, now: number): Promise<number> {
  const cached = planLimits.get(tenantId);
  if (cached && cached.until > now) return cached.perMinute;
  const { requestsPerMinute: perMinute } = await getTenantPlan(tenantId);
  const seconds = config().tenancy.apiKeyCacheSeconds;
  if (seconds > 0) planLimits.set(tenantId, { perMinute, until: now + seconds * 1000 });
  return perMinute;
}

/** Runs a conditional write; false when its condition refused it (another request got there first). */
async function conditionally(write: () => Promise<unknown>): Promise<boolean> {
  try {
    await write();
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

/**
 * Spends one of the key's tokens or refuses the request with 429 and Retry-After.
 *
 * Primary course:
 * 1. read the key's bucket (strongly consistent), refill it for the time passed and take a token, or refuse when
 *    none is left;
 * 2. write the refill and the spent token back as one relative change, on condition that `refilled_at` is still
 *    the one read (so the same stretch of time is never credited twice) and enough tokens remain for the change
 *    (so requests that spent tokens since the read are counted); a first request creates the bucket, full less one;
 * 3. a request that lost the race for the refill takes its token without one: an atomic decrement on condition a
 *    whole token is left, which concurrent requests cannot overspend;
 * 4. only when that finds the bucket empty does it start again from 1, to count any refill since; a few rounds at
 *    most.
 */
export async function spendRequestToken(tenantId: string, keyId: string): Promise<void> {
  const perMinute = await requestsPerMinute(tenantId, Date.now());
  const { rateBuckets } = table();
  const key = { tenant_id: tenantId, key_id: keyId };
  for (let attempt = 1; attempt <= ATTEMPTS; attempt += 1) {
    const { data: stored } = await rateBuckets.get(key).go({ consistent: true });
    const read: Bucket | undefined = stored
      ? { tokens: stored.tokens, refilledAt: stored.refilled_at }
      : undefined;
    const outcome = take(read, perMinute, Date.now());
    if (!outcome.allowed) throw new RateLimitedError(perMinute, outcome.retryAfterSeconds);
    const { tokens, refilledAt } = outcome.bucket;
    const written = stored
      ? await conditionally(() => {
          const change = tokens - stored.tokens;
          return rateBuckets
            .patch(key)
            .add({ tokens: change })
            .set({ refilled_at: refilledAt, expiresAt: bucketExpiry(refilledAt) })
            .where(
              ({ refilled_at, tokens: left }, { eq, gte }) =>
                `${eq(refilled_at, stored.refilled_at)} AND ${gte(left, -change)}`,
            )
            .go({ response: 'none' });
        })
      : await conditionally(() =>
          rateBuckets
            .create({ ...key, tokens, refilled_at: refilledAt, expiresAt: bucketExpiry(refilledAt) })
            .go({ response: 'none' }),
        );
    if (written) return;
    const decremented = await conditionally(() =>
      rateBuckets
        .patch(key)
        .subtract({ tokens: 1 })
        .where(({ tokens: left }, { gte }) => gte(left, 1))
        .go({ response: 'none' }),
    );
    if (decremented) return;
  }
  // Every round found the bucket empty after another request's refill: the key is at its limit.
  throw new RateLimitedError(perMinute, secondsUntilToken({ tokens: 0, refilledAt: Date.now() }, perMinute));
}
