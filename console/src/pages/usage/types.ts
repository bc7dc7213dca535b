// The usage report as GET /api/admin/voice/usage answers it (see functions/usage/schemas.ts).

export type GroupBy = 'day' | 'provider' | 'personality';

export interface UsageFigures {
  requests: number;
  characters: number;
  billable_characters: number;
  audio_seconds: number;
  cost_usd: number;
  /** Share of characters served from cache, 0–1. */
  cached_share: number;
  saved_usd: number;
}

export interface UsageGroup extends UsageFigures {
  key: string;
}

export interface PlanSummary {
  id: 'free' | 'small_business' | 'professional' | 'enterprise';
  name: string;
  voice: 'none' | 'default' | 'custom';
  /** null is unlimited. */
  custom_voices: number | null;
  monthly_characters: number | null;
  hard_limit_characters: number | null;
  requests_per_minute: number;
}

export interface UsageBudget {
  month: string;
  plan: PlanSummary;
  used_characters: number;
  monthly_characters: number | null;
  left_characters: number | null;
  used_share: number | null;
  cost_usd: number;
}

export interface UsageReport {
  from: string;
  to: string;
  group_by: GroupBy;
  totals: UsageFigures;
  groups: UsageGroup[];
  budget: UsageBudget;
}

/** The days a report covers, inclusive, as YYYY-MM-DD (UTC). */
export interface DayRange {
  from: string;
  to: string;
}
