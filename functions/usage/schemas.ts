// The usage report: what the tenant's voices spoke, what it cost, what the cache saved, and the budget left.
import * as z from 'zod';
import { PlanSummary } from '../tenants/schemas.ts';

const IsoDay = z.iso.date().describe('YYYY-MM-DD, UTC');

export const UsageQuery = z.strictObject({
  from: IsoDay.optional().describe('First day, inclusive; defaults to the first day of the month of `to`'),
  to: IsoDay.optional().describe('Last day, inclusive; defaults to today'),
  group_by: z.enum(['day', 'provider', 'personality']).default('day'),
});
export type UsageQuery = z.infer<typeof UsageQuery>;

export const UsageFigures = z
  .object({
    requests: z.int().describe('Sentences spoken or served from cache'),
    characters: z.int(),
    billable_characters: z.int().describe('Characters a provider was paid for (cache hits excluded)'),
    audio_seconds: z.number(),
    cost_usd: z.number(),
    cached_share: z.number().describe('Share of characters served from cache, 0–1'),
    saved_usd: z.number().describe('What the cached characters would have cost'),
  })
  .meta({ id: 'UsageFigures' });
export type UsageFigures = z.infer<typeof UsageFigures>;

export const UsageBudget = z
  .object({
    month: z.string().describe('YYYY-MM, UTC'),
    plan: PlanSummary,
    used_characters: z.int().describe('Billable characters this month'),
    monthly_characters: z.int().nullable(),
    left_characters: z.int().nullable().describe('Before custom voices give way; null is unlimited'),
    used_share: z.number().nullable().describe('Of the monthly budget, 0–1 and beyond'),
    cost_usd: z.number().describe('Cost so far this month'),
  })
  .meta({ id: 'UsageBudget' });

export const UsageReport = z
  .object({
    from: IsoDay,
    to: IsoDay,
    group_by: z.enum(['day', 'provider', 'personality']),
    totals: UsageFigures,
    groups: z.array(UsageFigures.extend({ key: z.string() })),
    budget: UsageBudget,
  })
  .meta({ id: 'UsageReport' });
export type UsageReport = z.infer<typeof UsageReport>;
