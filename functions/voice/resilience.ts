// Retries with backoff and jitter for failures worth retrying, and a circuit breaker per provider.
import { TtsProviderError, type ProviderName } from '../providers/tts/port.ts';

export interface RetryPolicy {
  /** Total attempts, the first included. */
  attempts: number;
  baseMs: number;
  maxMs: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * "Equal jitter": half the exponential step fixed, half random, so retries spread out without ever
 * collapsing to zero. A provider's Retry-After wins when it asks for longer, up to the cap.
 */
export function backoffDelay(
  attempt: number,
  policy: RetryPolicy,
  retryAfterMs?: number,
  random = Math.random,
): number {
  const step = Math.min(policy.maxMs, policy.baseMs * 2 ** (attempt - 1));
  const delay = step / 2 + random() * (step / 2);
  return Math.min(policy.maxMs, Math.max(delay, retryAfterMs ?? 0));
}

export type BreakerState = 'closed' | 'open' | 'half_open';

/**
 * Opens after `threshold` consecutive failures that say the provider is unwell (5xx, timeouts), refuses calls
 * while open, and after `cooldownMs` lets one trial call through: success closes it, failure opens it again.
 */
export class CircuitBreaker {
  private failures = 0;
  private openedAt = 0;
  private trialInFlight = false;
  private currentState: BreakerState = 'closed';

  constructor(
    readonly threshold: number,
    readonly cooldownMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  get state(): BreakerState {
    if (this.currentState === 'open' && this.now() - this.openedAt >= this.cooldownMs)
      this.currentState = 'half_open';
    return this.currentState;
  }

  /** Whether a call may go out now; in half-open state only one at a time. */
  tryAcquire(): boolean {
    const state = this.state;
    if (state === 'closed') return true;
    if (state === 'open' || this.trialInFlight) return false;
    this.trialInFlight = true;
    return true;
  }

  succeeded(): void {
    this.failures = 0;
    this.trialInFlight = false;
    this.currentState = 'closed';
  }

  failed(): void {
    this.trialInFlight = false;
    this.failures += 1;
    if (this.currentState === 'half_open' || this.failures >= this.threshold) {
      this.currentState = 'open';
      this.openedAt = this.now();
    }
  }

  /** A call that ended for a reason that says nothing about the provider's health (bad input, quota). */
  released(): void {
    this.trialInFlight = false;
  }
}

export class CircuitOpenError extends TtsProviderError {
  override name = 'CircuitOpenError';
  constructor(provider: ProviderName) {
    super(provider, 'retryable', `${provider} is failing repeatedly; calls are paused until it recovers`);
  }
}

/** Failures that count against a provider's health. */
function isOutage(error: unknown): boolean {
  return error instanceof TtsProviderError && (error.kind === 'retryable' || error.kind === 'timeout');
}

/**
 * Calls the provider through its breaker, retrying only failures worth retrying. Quota, auth and bad-input
 * errors are thrown at once: another try cannot fix them, and the caller falls back instead.
 */
export async function callWithResilience<T>(
  provider: ProviderName,
  breaker: CircuitBreaker,
  policy: RetryPolicy,
  call: () => Promise<T>,
  options: {
    onRetry?: (attempt: number, error: TtsProviderError, delayMs: number) => void;
    /** Once aborted (another sentence already failed), a failure is ours, not the provider's: no count, no retry. */
    signal?: AbortSignal;
  } = {},
): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    if (!breaker.tryAcquire()) throw new CircuitOpenError(provider);
    try {
      const result = await call();
      breaker.succeeded();
      return result;
    } catch (error) {
      if (options.signal?.aborted) {
        breaker.released();
        throw error;
      }
      if (isOutage(error)) breaker.failed();
      else breaker.released();
      if (!(error instanceof TtsProviderError) || !error.retryable || attempt >= policy.attempts) throw error;
      const delayMs = backoffDelay(attempt, policy, error.details.retryAfterMs);
      options.onRetry?.(attempt, error, delayMs);
      await sleep(delayMs);
    }
  }
}

const breakers = new Map<ProviderName, CircuitBreaker>();

/** One breaker per provider for the life of the process (a Lambda container, or the local stack). */
export function breakerFor(provider: ProviderName, threshold: number, cooldownMs: number): CircuitBreaker {
  let breaker = breakers.get(provider);
  if (!breaker) {
    breaker = new CircuitBreaker(threshold, cooldownMs);
    breakers.set(provider, breaker);
  }
  return breaker;
}
