// The plans a tenant can be on, in one table: what each may speak with, how much, and how fast it may call.
import { config, type PlanId } from '../config.ts';

export type { PlanId };

export interface Plan {
  id: PlanId;
  name: string;
  /** `none`: text only; `default`: the platform's and tenant's default voices; `custom`: cloned voices too. */
  voice: 'none' | 'default' | 'custom';
  /** Custom voices the tenant may have (ready or training) at once; null is unlimited. */
  customVoices: number | null;
  /**
   * Characters a month the voices may speak (cache hits excluded: they cost nothing). Past it, custom voices give
   * way to the default voices; null is unlimited.
   */
  monthlyCharacters: number | null;
  /** Past this, nothing more is spoken this month: replies come back as text only. Null is unlimited. */
  hardLimitCharacters: number | null;
  /** Requests per minute for each of the tenant's API keys. */
  requestsPerMinute: number;
}

/**
 * After the original pricing strategy: free is text only, small business speaks with default voices within a
 * budget sized for its scenario (1,000 conversations × 10 messages × 300 characters = 3 M a month), professional
 * adds one custom voice and a larger budget, enterprise has no ceiling. A budget is soft: past it custom voices give
 * way to default ones; the hard limit, half as much again, ends speech for the month.
 */
export const PLANS: Record<PlanId, Plan> = {
  free: {
    id: 'free',
    name: 'Free',
    voice: 'none',
    customVoices: 0,
    monthlyCharacters: 0,
    hardLimitCharacters: 0,
    requestsPerMinute: 60,
  },
  small_business: {
    id: 'small_business',
    name: 'Small business',
    voice: 'default',
    customVoices: 0,
    monthlyCharacters: 3_000_000,
    hardLimitCharacters: 4_500_000,
    requestsPerMinute: 300,
  },
  professional: {
    id: 'professional',
    name: 'Professional',
    voice: 'custom',
    customVoices: 1,
    monthlyCharacters: 10_000_000,
    hardLimitCharacters: 15_000_000,
    requestsPerMinute: 600,
  },
  enterprise: {
    id: 'enterprise',
    name: 'Enterprise',
    voice: 'custom',
    customVoices: null,
    monthlyCharacters: null,
    hardLimitCharacters: null,
    requestsPerMinute: 3000,
  },
};

export const PLAN_IDS = Object.keys(PLANS) as PlanId[];

export function isPlanId(value: unknown): value is PlanId {
  return typeof value === 'string' && value in PLANS;
}

/** The plan a stored profile names, or the configured default for a tenant without one. */
export function planOf(stored: string | undefined): Plan {
  return isPlanId(stored) ? PLANS[stored] : PLANS[config().tenancy.defaultPlan];
}
