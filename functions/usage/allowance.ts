// What a plan allows, as pure rules: what may speak at a month's usage, when the budget warning is due, and whether
// another custom voice may be trained.
import type { Personality } from '../personalities/schemas.ts';
import type { Plan } from '../tenants/plans.ts';

/** Share of the monthly budget at which the tenant is warned, once a month. */
export const BUDGET_WARNING_SHARE = 0.8;

export type CustomVoiceRefusal = 'plan_excludes_custom_voice' | 'budget_exceeded';

export type SpeechAllowance =
  | {
      speaks: false;
      code: 'plan_no_voice' | 'budget_exhausted';
      message: string;
      details: Record<string, unknown>;
    }
  | { speaks: true; customVoiceRefusal?: CustomVoiceRefusal };

/** The counter's fields that matter here; a month without speech has no counter, so every field may be missing. */
export interface MonthCounter {
  characters?: number | undefined;
  cached_characters?: number | undefined;
}

/** Characters a provider was paid for this month: cache hits cost nothing and count against no budget. */
export function billableCharacters(counter: MonthCounter | undefined | null): number {
  return Math.max(0, (counter?.characters ?? 0) - (counter?.cached_characters ?? 0));
}

/** `yyyy-mm` of a moment, UTC: the month usage records and counters are kept by. */
export function monthOf(now: Date): string {
  return now.toISOString().slice(0, 7);
}

/** The first day of the month after `month` (`yyyy-mm`), as `yyyy-mm-dd`: when a spent budget starts again. */
export function nextMonthStart(month: string): string {
  const [year, monthNumber] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(year, monthNumber, 1)).toISOString().slice(0, 10);
}

const figure = (n: number) => n.toLocaleString('en-US');

/**
 * What may speak this month.
 * 1. A plan without voices replies in text only.
 * 2. Past the hard limit nothing is spoken until next month.
 * 3. A plan of default voices, or a spent monthly budget, passes over custom voices.
 */
export function speechAllowance(plan: Plan, billable: number, month: string): SpeechAllowance {
  if (plan.voice === 'none') {
    return {
      speaks: false,
      code: 'plan_no_voice',
      message: `The ${plan.name} plan replies in text only; upgrade to give personalities a voice.`,
      details: { plan: plan.id },
    };
  }
  if (plan.hardLimitCharacters !== null && billable >= plan.hardLimitCharacters) {
    const resumesOn = nextMonthStart(month);
    return {
      speaks: false,
      code: 'budget_exhausted',
      message:
        `This month's speech limit of ${figure(plan.hardLimitCharacters)} characters on the ${plan.name} plan ` +
        `is used up (${figure(billable)} spoken); replies are text only until speech resumes next month, on ${resumesOn}.`,
      details: {
        plan: plan.id,
        month,
        hard_limit_characters: plan.hardLimitCharacters,
        used_characters: billable,
        resumes_on: resumesOn,
      },
    };
  }
  if (plan.voice === 'default') return { speaks: true, customVoiceRefusal: 'plan_excludes_custom_voice' };
  if (plan.monthlyCharacters !== null && billable >= plan.monthlyCharacters) {
    return { speaks: true, customVoiceRefusal: 'budget_exceeded' };
  }
  return { speaks: true };
}

/**
 * Whether speech that brought the month to `after` billable characters should warn the tenant: the month is at 80%
 * of its budget or beyond and no warning has gone out yet. A request that crossed the line warns; so does the next
 * one if two requests crossed it at once, each unaware of the other, and neither reached the line on its own.
 */
export function budgetWarningDue(plan: Plan, after: number, alreadyWarned: boolean): boolean {
  if (alreadyWarned || plan.voice === 'none' || !plan.monthlyCharacters) return false;
  return after >= BUDGET_WARNING_SHARE * plan.monthlyCharacters;
}

/** A personality holds a custom voice while it is cloned (`ready`) or being cloned (`training`). */
export function holdsCustomVoice(personality: Pick<Personality, 'voice_config'>): boolean {
  const status = personality.voice_config?.status;
  return status === 'ready' || status === 'training';
}

export interface TrainingRefusal {
  code: 'plan_excludes_custom_voice' | 'custom_voice_limit';
  message: string;
  details: Record<string, unknown>;
}

/**
 * Why `personalityId` may not train a custom voice on this plan, or undefined when it may. Its own voice does not
 * count: training it again replaces the voice it holds.
 */
export function customVoiceRefusal(
  plan: Plan,
  personalities: Array<Pick<Personality, 'id' | 'name' | 'voice_config'>>,
  personalityId: string,
): TrainingRefusal | undefined {
  if (plan.voice !== 'custom') {
    return {
      code: 'plan_excludes_custom_voice',
      message: `The ${plan.name} plan speaks with default voices only; upgrade to Professional or Enterprise to train a custom voice.`,
      details: { plan: plan.id },
    };
  }
  if (plan.customVoices === null) return undefined;
  const holders = personalities.filter((other) => other.id !== personalityId && holdsCustomVoice(other));
  if (holders.length < plan.customVoices) return undefined;
  const limit = `${plan.customVoices} custom voice${plan.customVoices === 1 ? '' : 's'}`;
  const names = holders.map((holder) => `${holder.name} (${holder.id})`).join(', ');
  return {
    code: 'custom_voice_limit',
    message: holders.length
      ? `The ${plan.name} plan allows ${limit}, held by ${names}; delete one of them or upgrade to train another.`
      : `The ${plan.name} plan allows ${limit}; upgrade to train one.`,
    details: {
      plan: plan.id,
      custom_voices: plan.customVoices,
      held_by: holders.map((holder) => ({
        id: holder.id,
        name: holder.name,
        status: holder.voice_config!.status,
      })),
    },
  };
}
