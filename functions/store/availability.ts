// Tells a store that is briefly away (unreachable, throttling, failing on its side) from a request that is wrong.

/** Network failures on the way to the table or a bucket: the service behind is down or restarting. */
const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'EAI_AGAIN',
]);
/** AWS errors that say "not now" rather than "never": throttling, and the service's own failures. */
const UNAVAILABLE = new Set([
  'TimeoutError',
  'RequestTimeout',
  'ThrottlingException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'InternalServerError',
  'ServiceUnavailable',
  'SlowDown',
]);

/**
 * Whether an error (or one it wraps, as ElectroDB wraps the SDK's) is the store being unreachable or overloaded:
 * the request may well succeed when tried again, so it is a 503, not a failure of ours.
 */
export function isStoreUnavailable(error: unknown): boolean {
  for (let cause: unknown = error, depth = 0; cause instanceof Error && depth < 5; depth += 1) {
    const { code, $fault } = cause as { code?: unknown; $fault?: unknown };
    if (typeof code === 'string' && UNREACHABLE.has(code)) return true;
    if (UNAVAILABLE.has(cause.name) || $fault === 'server') return true;
    cause = cause.cause;
  }
  return false;
}
