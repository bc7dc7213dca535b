// The usage report: a tenant's usage records over a range of days, summed by day, provider or personality, with the
// month's budget beside them.
import { BadRequestError } from '../http/errors.ts';
import { table } from '../store/table.ts';
import { getTenantPlan, planSummary } from '../tenants/tenants.ts';
import { billableCharacters, monthOf } from './allowance.ts';
import { monthCounter } from './budget.ts';
import type { UsageFigures, UsageQuery, UsageReport } from './schemas.ts';

/** A report spans at most a year (a leap year's worth of days), so it reads at most 13 monthly partitions. */
export const MAX_REPORT_DAYS = 366;
/** Grouping key of records spoken for no particular personality. */
export const NO_PERSONALITY = '(none)';

const DAY_MS = 24 * 60 * 60 * 1000;

type ReportRecord = Pick<
  UsageReport['groups'][number],
  'characters' | 'audio_seconds' | 'cost_usd' | 'saved_usd'
> & { created_at: string; provider: string; personality_id?: string | undefined; cached: boolean };

const round = (value: number, places: number) => {
  const factor = 10 ** places;
  return Math.round(value * factor) / factor;
};

/** Sums of records; money to 6 decimals (a sentence costs fractions of a cent), shares to 4, seconds to 3. */
export function figuresOf(records: ReportRecord[]): UsageFigures {
  let characters = 0;
  let cachedCharacters = 0;
  let audioSeconds = 0;
  let cost = 0;
  let saved = 0;
  for (const record of records) {
    characters += record.characters;
    if (record.cached) cachedCharacters += record.characters;
    audioSeconds += record.audio_seconds;
    cost += record.cost_usd;
    saved += record.saved_usd;
  }
  return {
    requests: records.length,
    characters,
    billable_characters: characters - cachedCharacters,
    audio_seconds: round(audioSeconds, 3),
    cost_usd: round(cost, 6),
    cached_share: characters ? round(cachedCharacters / characters, 4) : 0,
    saved_usd: round(saved, 6),
  };
}

const groupKey: Record<UsageQuery['group_by'], (record: ReportRecord) => string> = {
  day: (record) => record.created_at.slice(0, 10),
  provider: (record) => record.provider,
  personality: (record) => record.personality_id ?? NO_PERSONALITY,
};

export function groupFigures(records: ReportRecord[], by: UsageQuery['group_by']): UsageReport['groups'] {
  const groups = new Map<string, ReportRecord[]>();
  for (const record of records) {
    const key = groupKey[by](record);
    const group = groups.get(key);
    if (group) group.push(record);
    else groups.set(key, [record]);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, group]) => ({ key, ...figuresOf(group) }));
}

const dayNumber = (day: string) => Date.parse(`${day}T00:00:00Z`) / DAY_MS;

/** `yyyy-mm` of every month from the one of `from` to the one of `to`. */
export function monthsBetween(from: string, to: string): string[] {
  const months: string[] = [];
  let [year, month] = from.split('-').map(Number) as [number, number];
  const last = to.slice(0, 7);
  for (;;) {
    const current = `${year}-${String(month).padStart(2, '0')}`;
    months.push(current);
    if (current >= last) return months;
    month += 1;
    if (month > 12) [year, month] = [year + 1, 1];
  }
}

/** The days asked for, defaults filled in: to today, from the first day of `to`'s month; refused when unusable. */
export function reportRange(query: Pick<UsageQuery, 'from' | 'to'>, now = new Date()) {
  const to = query.to ?? now.toISOString().slice(0, 10);
  const from = query.from ?? `${to.slice(0, 7)}-01`;
  if (to < from) {
    throw new BadRequestError('invalid_request', `to: ${to} is before from (${from}).`, [
      { field: 'to', message: 'must not be before from' },
    ]);
  }
  const days = dayNumber(to) - dayNumber(from) + 1;
  if (days > MAX_REPORT_DAYS) {
    throw new BadRequestError(
      'invalid_request',
      `from: the range ${from} – ${to} spans ${days} days; a report covers at most ${MAX_REPORT_DAYS}.`,
      [{ field: 'from', message: `must be at most ${MAX_REPORT_DAYS} days before to` }],
    );
  }
  return { from, to };
}

/** The records of one month's partition whose time falls on the days asked for (the sort key starts with it). */
async function monthRecords(tenantId: string, month: string, from: string, to: string) {
  const { data } = await table()
    .usageRecords.query.byMonth({ tenant_id: tenantId, month })
    // `~` sorts after every character of an ISO time, so the whole of the last day is included.
    .between({ created_at: from }, { created_at: `${to}~` })
    .go({ pages: 'all' });
  return data as ReportRecord[];
}

/**
 * The report.
 * 1. Fill in and check the range: to not before from, at most 366 days.
 * 2. Read each month's partition, only the days asked for, every page.
 * 3. Sum the records, in total and by the grouping asked for.
 * 4. Beside them, this month's budget from the `all` counter and the tenant's plan.
 */
export async function usageReport(
  tenantId: string,
  query: UsageQuery,
  now = new Date(),
): Promise<UsageReport> {
  const { from, to } = reportRange(query, now);
  const month = monthOf(now);
  const [monthly, plan, counter] = await Promise.all([
    Promise.all(monthsBetween(from, to).map((each) => monthRecords(tenantId, each, from, to))),
    getTenantPlan(tenantId),
    monthCounter(tenantId, month),
  ]);
  const records = monthly.flat();
  const used = billableCharacters(counter);
  const budget = plan.monthlyCharacters;
  return {
    from,
    to,
    group_by: query.group_by,
    totals: figuresOf(records),
    groups: groupFigures(records, query.group_by),
    budget: {
      month,
      plan: planSummary(plan),
      used_characters: used,
      monthly_characters: budget,
      left_characters: budget === null ? null : Math.max(0, budget - used),
      // A budget of nothing (text only) is spent from the start.
      used_share: budget === null ? null : budget === 0 ? 1 : round(used / budget, 4),
      cost_usd: round(counter?.cost_usd ?? 0, 6),
    },
  };
}
