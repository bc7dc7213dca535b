// A table or bucket that cannot be reached is a 503 worth retrying, not a 500; found by the fault-injection suite.
import { describe, expect, it } from 'vitest';
import { toAppError } from '../../../functions/http/middleware.ts';
import { isStoreUnavailable } from '../../../functions/store/availability.ts';

/** What ElectroDB throws when the DynamoDB client failed: its own error, the SDK's as the cause. */
function electroError(cause: Error): Error {
  return Object.assign(new Error(`Error thrown by DynamoDB client: "${cause.message}"`), {
    name: 'ElectroError',
    cause,
  });
}

describe('isStoreUnavailable', () => {
  it('sees a refused or reset connection through ElectroDB’s wrapping', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8000'), { code: 'ECONNREFUSED' });
    const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });

    expect(isStoreUnavailable(electroError(refused))).toBe(true);
    expect(isStoreUnavailable(reset)).toBe(true);
  });

  it('sees throttling and the service’s own failures', () => {
    const throttled = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
    const serverFault = Object.assign(new Error('We encountered an internal error'), { $fault: 'server' });

    expect(isStoreUnavailable(throttled)).toBe(true);
    expect(isStoreUnavailable(electroError(serverFault))).toBe(true);
  });

  it('leaves programming errors and refused conditions alone', () => {
    const condition = Object.assign(new Error('The conditional request failed'), {
      name: 'ConditionalCheckFailedException',
      $fault: 'client',
    });

    expect(isStoreUnavailable(new TypeError('x is undefined'))).toBe(false);
    expect(isStoreUnavailable(electroError(condition))).toBe(false);
    expect(isStoreUnavailable(new Error('connect ECONNREFUSED in the message only'))).toBe(false);
  });
});

describe('toAppError for an unreachable store', () => {
  it('is a 503 service_unavailable with Retry-After that names nothing internal', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 10.0.0.7:8000'), { code: 'ECONNREFUSED' });

    const mapped = toAppError(electroError(refused));

    expect(mapped).toMatchObject({ status: 503, code: 'service_unavailable' });
    expect(mapped.headers).toEqual({ 'retry-after': '5' });
    expect(mapped.message).not.toContain('ECONNREFUSED');
  });
});
