// Webhook delivery ids sort by time, and retries back off exponentially within ±20%.
import { describe, expect, it } from 'vitest';
import { retryDelayMs } from '../../functions/webhooks/delivery.ts';
import { newEventId } from '../../functions/webhooks/events.ts';

describe('newEventId', () => {
  it('sorts by time as plain strings, across a change in the number of base-36 digits', () => {
    const times = [0, 35, 36, 1_000, Date.UTC(2026, 0, 1), Date.UTC(2026, 0, 1) + 1, 36 ** 8 + 5];
    const ids = times.map((ms) => newEventId(new Date(ms)));

    expect([...ids].sort()).toEqual(ids);
    expect(ids.every((id) => /^evt_[0-9a-z]{9}[0-9a-f]{16}$/.test(id))).toBe(true);
  });

  it('keeps two events of the same millisecond apart', () => {
    const at = new Date();

    expect(newEventId(at)).not.toBe(newEventId(at));
  });
});

describe('retryDelayMs', () => {
  it('doubles the base with each attempt', () => {
    const middle = () => 0.5;

    expect([1, 2, 3, 4].map((attempt) => retryDelayMs(attempt, 50, middle))).toEqual([50, 100, 200, 400]);
  });

  it('stays within 20% either way', () => {
    expect(retryDelayMs(3, 1000, () => 0)).toBe(3200);
    expect(retryDelayMs(3, 1000, () => 0.999999)).toBe(4800);
  });
});
