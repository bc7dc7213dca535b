// Retries, backoff and the circuit breaker, on their own, with a clock the test controls.
import { describe, expect, it } from 'vitest';
import { TtsProviderError } from '../../../functions/providers/tts/port.ts';
import {
  backoffDelay,
  callWithResilience,
  CircuitBreaker,
  CircuitOpenError,
} from '../../../functions/voice/resilience.ts';

const policy = { attempts: 3, baseMs: 1, maxMs: 5 };
const failure = (kind: TtsProviderError['kind']) => new TtsProviderError('elevenlabs', kind, kind);

function failingTimes(times: number, kind: TtsProviderError['kind']) {
  let calls = 0;
  return {
    calls: () => calls,
    call: async () => {
      calls += 1;
      if (calls <= times) throw failure(kind);
      return 'audio';
    },
  };
}

describe('backoffDelay', () => {
  it('doubles each attempt, stays between half and all of the step, and never passes the cap', () => {
    const wide = { attempts: 10, baseMs: 100, maxMs: 1000 };

    expect(backoffDelay(1, wide, undefined, () => 0)).toBe(50);
    expect(backoffDelay(1, wide, undefined, () => 1)).toBe(100);
    expect(backoffDelay(3, wide, undefined, () => 0)).toBe(200);
    expect(backoffDelay(3, wide, undefined, () => 1)).toBe(400);
    expect(backoffDelay(8, wide, undefined, () => 1)).toBe(1000);
  });

  it('waits as long as the provider asks, up to the cap', () => {
    const wide = { attempts: 10, baseMs: 100, maxMs: 1000 };

    expect(backoffDelay(1, wide, 700, () => 0)).toBe(700);
    expect(backoffDelay(1, wide, 5000, () => 0)).toBe(1000);
  });
});

describe('callWithResilience', () => {
  it('retries 5xx, rate limits and timeouts up to the attempt limit', async () => {
    for (const kind of ['retryable', 'rate_limited', 'timeout'] as const) {
      const flaky = failingTimes(2, kind);
      await expect(
        callWithResilience('elevenlabs', new CircuitBreaker(100, 1000), policy, flaky.call),
      ).resolves.toBe('audio');
      expect(flaky.calls(), kind).toBe(3);
    }
  });

  it('gives up after the last attempt with the provider’s error', async () => {
    const down = failingTimes(10, 'retryable');

    await expect(
      callWithResilience('elevenlabs', new CircuitBreaker(100, 1000), policy, down.call),
    ).rejects.toMatchObject({
      kind: 'retryable',
    });
    expect(down.calls()).toBe(3);
  });

  it('never retries quota, auth, unknown voices or bad input', async () => {
    for (const kind of ['quota_exceeded', 'auth', 'voice_not_found', 'invalid_request'] as const) {
      const refused = failingTimes(10, kind);
      await expect(
        callWithResilience('elevenlabs', new CircuitBreaker(100, 1000), policy, refused.call),
      ).rejects.toMatchObject({ kind });
      expect(refused.calls(), kind).toBe(1);
    }
  });

  it('stops at once when the caller has aborted, without counting against the provider', async () => {
    const breaker = new CircuitBreaker(1, 1000);
    const abort = new AbortController();
    abort.abort();
    const down = failingTimes(10, 'timeout');

    await expect(
      callWithResilience('elevenlabs', breaker, policy, down.call, { signal: abort.signal }),
    ).rejects.toBeInstanceOf(TtsProviderError);
    expect(down.calls()).toBe(1);
    expect(breaker.state).toBe('closed');
  });
});

describe('CircuitBreaker', () => {
  it('opens after the threshold of outages, refuses while open, half-opens after the cool-down', () => {
    let now = 0;
    const breaker = new CircuitBreaker(3, 1000, () => now);

    for (let i = 0; i < 3; i += 1) {
      expect(breaker.tryAcquire()).toBe(true);
      breaker.failed();
    }
    expect(breaker.state).toBe('open');
    expect(breaker.tryAcquire()).toBe(false);
    now = 999;
    expect(breaker.tryAcquire()).toBe(false);
    now = 1000;
    expect(breaker.state).toBe('half_open');
    expect(breaker.tryAcquire()).toBe(true);
    // One trial at a time.
    expect(breaker.tryAcquire()).toBe(false);
    breaker.succeeded();
    expect(breaker.state).toBe('closed');
    expect(breaker.tryAcquire()).toBe(true);
  });

  it('opens again when the trial fails', () => {
    let now = 0;
    const breaker = new CircuitBreaker(2, 100, () => now);
    breaker.failed();
    breaker.failed();
    now = 100;

    expect(breaker.tryAcquire()).toBe(true);
    breaker.failed();

    expect(breaker.state).toBe('open');
    now = 150;
    expect(breaker.tryAcquire()).toBe(false);
  });

  it('forgets failures after a success', () => {
    const breaker = new CircuitBreaker(3, 100);
    breaker.failed();
    breaker.failed();
    breaker.succeeded();
    breaker.failed();
    breaker.failed();

    expect(breaker.state).toBe('closed');
  });

  it('does not count quota or bad-input errors as outages', async () => {
    const breaker = new CircuitBreaker(1, 1000);

    await expect(
      callWithResilience('elevenlabs', breaker, policy, failingTimes(10, 'quota_exceeded').call),
    ).rejects.toBeInstanceOf(TtsProviderError);

    expect(breaker.state).toBe('closed');
  });

  it('makes calls fail fast with CircuitOpenError while open', async () => {
    const breaker = new CircuitBreaker(1, 60_000);
    await expect(
      callWithResilience('google', breaker, { ...policy, attempts: 1 }, failingTimes(10, 'retryable').call),
    ).rejects.toThrow();
    const untouched = failingTimes(0, 'retryable');

    await expect(callWithResilience('google', breaker, policy, untouched.call)).rejects.toBeInstanceOf(
      CircuitOpenError,
    );
    expect(untouched.calls()).toBe(0);
  });
});
