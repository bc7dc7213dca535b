// The usage report's arithmetic: the range it covers, the months it reads, and how records sum and round.
import { describe, expect, it } from 'vitest';
import { AppError } from '../../functions/http/errors.ts';
import {
  figuresOf,
  groupFigures,
  monthsBetween,
  NO_PERSONALITY,
  reportRange,
} from '../../functions/usage/usage-report.ts';

const record = (fields: Partial<Parameters<typeof figuresOf>[0][number]> = {}) => ({
  created_at: '2025-03-02T10:00:00.000Z',
  provider: 'google',
  personality_id: 'marcel',
  characters: 100,
  audio_seconds: 1.5,
  cost_usd: 0.0016,
  saved_usd: 0,
  cached: false,
  ...fields,
});

function refusal(run: () => unknown) {
  try {
    run();
  } catch (error) {
    return error as AppError;
  }
  throw new Error('expected a refusal');
}

describe('the range', () => {
  const now = new Date('2025-03-17T12:00:00Z');

  it('defaults to this month so far, and from to the start of the month of to', () => {
    expect(reportRange({}, now)).toEqual({ from: '2025-03-01', to: '2025-03-17' });
    expect(reportRange({ to: '2025-01-20' }, now)).toEqual({ from: '2025-01-01', to: '2025-01-20' });
  });

  it('refuses to before from, naming to', () => {
    const error = refusal(() => reportRange({ from: '2025-03-02', to: '2025-03-01' }, now));

    expect(error).toMatchObject({ status: 400, details: [{ field: 'to' }] });
    expect(error.message).toContain('before from');
  });

  it('takes 366 days and refuses 367, naming from', () => {
    expect(reportRange({ from: '2024-01-01', to: '2024-12-31' }, now)).toEqual({
      from: '2024-01-01',
      to: '2024-12-31',
    });
    const error = refusal(() => reportRange({ from: '2024-01-01', to: '2025-01-01' }, now));

    expect(error).toMatchObject({ status: 400, details: [{ field: 'from' }] });
    expect(error.message).toContain('367 days');
  });

  it('reads every month the range touches, across a year', () => {
    expect(monthsBetween('2024-11-30', '2025-02-01')).toEqual(['2024-11', '2024-12', '2025-01', '2025-02']);
    expect(monthsBetween('2025-03-01', '2025-03-31')).toEqual(['2025-03']);
  });
});

describe('the sums', () => {
  it('separates what was paid for from what the cache served, and rounds money and shares', () => {
    const figures = figuresOf([
      record({ cost_usd: 0.0000011, characters: 30 }),
      record({ cost_usd: 0.0000011, characters: 30 }),
      record({ cost_usd: 0, cached: true, saved_usd: 0.0000011, characters: 40, audio_seconds: 0.25 }),
    ]);

    expect(figures).toEqual({
      requests: 3,
      characters: 100,
      billable_characters: 60,
      audio_seconds: 3.25,
      cost_usd: 0.000002,
      cached_share: 0.4,
      saved_usd: 0.000001,
    });
  });

  it('reports nothing spoken as zeros, not as a division by zero', () => {
    expect(figuresOf([])).toMatchObject({ requests: 0, cached_share: 0, cost_usd: 0 });
  });

  it('groups by day, provider or personality, in key order', () => {
    const records = [
      record({ created_at: '2025-03-03T08:00:00.000Z', provider: 'polly', personality_id: 'zac' }),
      record({ created_at: '2025-03-02T23:59:59.999Z' }),
      record({ created_at: '2025-03-03T09:00:00.000Z', personality_id: undefined }),
    ];

    expect(groupFigures(records, 'day').map((group) => [group.key, group.requests])).toEqual([
      ['2025-03-02', 1],
      ['2025-03-03', 2],
    ]);
    expect(groupFigures(records, 'provider').map((group) => [group.key, group.requests])).toEqual([
      ['google', 2],
      ['polly', 1],
    ]);
    expect(groupFigures(records, 'personality').map((group) => group.key)).toEqual([
      NO_PERSONALITY,
      'marcel',
      'zac',
    ]);
  });
});
