// The plan table, and the rules drawn from it: what may speak at a month's usage, the 80% warning, custom voices.
import { describe, expect, it } from 'vitest';
import type { Personality } from '../../functions/personalities/schemas.ts';
import { PLAN_IDS, PLANS } from '../../functions/tenants/plans.ts';
import {
  billableCharacters,
  budgetWarningDue,
  customVoiceRefusal,
  holdsCustomVoice,
  monthOf,
  nextMonthStart,
  speechAllowance,
} from '../../functions/usage/allowance.ts';

const { free, small_business: smallBusiness, professional, enterprise } = PLANS;

function personality(id: string, status?: 'none' | 'training' | 'ready' | 'failed') {
  return {
    id,
    name: id[0]!.toUpperCase() + id.slice(1),
    ...(status ? { voice_config: { provider: 'elevenlabs' as const, voice_id: `v-${id}`, status } } : {}),
  } satisfies Pick<Personality, 'id' | 'name' | 'voice_config'>;
}

describe('the plan table', () => {
  it('keys every plan by its own id, from the smallest to the largest', () => {
    expect(PLAN_IDS).toEqual(['free', 'small_business', 'professional', 'enterprise']);
    for (const id of PLAN_IDS) expect(PLANS[id].id).toBe(id);
    const rates = PLAN_IDS.map((id) => PLANS[id].requestsPerMinute);
    expect(rates).toEqual([...rates].sort((a, b) => a - b));
  });

  it('gives each plan the voices the pricing promises', () => {
    expect(PLAN_IDS.map((id) => [PLANS[id].voice, PLANS[id].customVoices])).toEqual([
      ['none', 0],
      ['default', 0],
      ['custom', 1],
      ['custom', null],
    ]);
  });

  it('puts the hard limit at or above the budget, and leaves both open only together', () => {
    for (const plan of Object.values(PLANS)) {
      expect(plan.monthlyCharacters === null, plan.id).toBe(plan.hardLimitCharacters === null);
      if (plan.monthlyCharacters !== null)
        expect(plan.hardLimitCharacters!, plan.id).toBeGreaterThanOrEqual(plan.monthlyCharacters);
    }
    expect(smallBusiness.monthlyCharacters).toBe(3_000_000);
    expect(professional.monthlyCharacters!).toBeGreaterThan(smallBusiness.monthlyCharacters!);
  });
});

describe('what may speak', () => {
  it('refuses speech on a text-only plan, saying how to get a voice', () => {
    const allowance = speechAllowance(free, 0, '2025-03');

    expect(allowance).toMatchObject({ speaks: false, code: 'plan_no_voice' });
    expect(allowance.speaks || allowance.message).toBe(
      'The Free plan replies in text only; upgrade to give personalities a voice.',
    );
  });

  it('lets default voices speak on small business, never a custom one', () => {
    expect(speechAllowance(smallBusiness, 0, '2025-03')).toEqual({
      speaks: true,
      customVoiceRefusal: 'plan_excludes_custom_voice',
    });
  });

  it('lets custom voices speak under the budget, and passes them over from the budget on', () => {
    const budget = professional.monthlyCharacters!;

    expect(speechAllowance(professional, budget - 1, '2025-03')).toEqual({ speaks: true });
    expect(speechAllowance(professional, budget, '2025-03')).toEqual({
      speaks: true,
      customVoiceRefusal: 'budget_exceeded',
    });
  });

  it('ends speech at the hard limit until next month, naming the limit', () => {
    const limit = professional.hardLimitCharacters!;

    expect(speechAllowance(professional, limit - 1, '2025-12')).toMatchObject({ speaks: true });
    const allowance = speechAllowance(professional, limit, '2025-12');

    expect(allowance).toMatchObject({
      speaks: false,
      code: 'budget_exhausted',
      details: { hard_limit_characters: limit, used_characters: limit, resumes_on: '2026-01-01' },
    });
    expect(allowance.speaks || allowance.message).toContain('15,000,000 characters');
    expect(allowance.speaks || allowance.message).toContain('next month, on 2026-01-01');
  });

  it('has no ceiling on enterprise', () => {
    expect(speechAllowance(enterprise, 10 ** 12, '2025-03')).toEqual({ speaks: true });
  });

  it('counts only characters a provider was paid for', () => {
    expect(billableCharacters(undefined)).toBe(0);
    expect(billableCharacters({ characters: 1200 })).toBe(1200);
    expect(billableCharacters({ characters: 1200, cached_characters: 200 })).toBe(1000);
  });

  it('keeps months in UTC and finds the next one across a year', () => {
    expect(monthOf(new Date('2025-03-31T23:59:59Z'))).toBe('2025-03');
    expect(nextMonthStart('2025-01')).toBe('2025-02-01');
    expect(nextMonthStart('2025-12')).toBe('2026-01-01');
  });
});

describe('the 80% warning', () => {
  const line = 0.8 * smallBusiness.monthlyCharacters!;

  it('is due from 80% of the budget on, until it has been sent', () => {
    expect(budgetWarningDue(smallBusiness, line - 1, false)).toBe(false);
    expect(budgetWarningDue(smallBusiness, line, false)).toBe(true);
    expect(budgetWarningDue(smallBusiness, line * 2, false)).toBe(true);
    expect(budgetWarningDue(smallBusiness, line * 2, true)).toBe(false);
  });

  it('is never due without a budget to warn about', () => {
    expect(budgetWarningDue(enterprise, 10 ** 12, false)).toBe(false);
    expect(budgetWarningDue(free, 10, false)).toBe(false);
  });
});

describe('training another custom voice', () => {
  it('is refused on plans without custom voices', () => {
    for (const plan of [free, smallBusiness]) {
      expect(customVoiceRefusal(plan, [], 'new')).toMatchObject({
        code: 'plan_excludes_custom_voice',
        details: { plan: plan.id },
      });
    }
  });

  it('is refused at the limit, naming who holds the voices; training or ready both hold one', () => {
    const holders = [personality('marcel', 'ready'), personality('zac', 'none')];
    const refusal = customVoiceRefusal(professional, holders, 'shante');

    expect(refusal).toMatchObject({
      code: 'custom_voice_limit',
      details: { custom_voices: 1, held_by: [{ id: 'marcel', name: 'Marcel', status: 'ready' }] },
    });
    expect(refusal?.message).toBe(
      'The Professional plan allows 1 custom voice, held by Marcel (marcel); delete one of them or upgrade to train another.',
    );
    expect(customVoiceRefusal(professional, [personality('marcel', 'training')], 'shante')?.code).toBe(
      'custom_voice_limit',
    );
  });

  it('lets a personality retrain its own voice, and ignores voices that failed', () => {
    expect(customVoiceRefusal(professional, [personality('marcel', 'ready')], 'marcel')).toBeUndefined();
    expect(customVoiceRefusal(professional, [personality('zac', 'failed')], 'marcel')).toBeUndefined();
    expect(holdsCustomVoice(personality('zac', 'failed'))).toBe(false);
    expect(holdsCustomVoice(personality('zac'))).toBe(false);
  });

  it('has no limit on enterprise', () => {
    const many = ['a', 'b', 'c', 'd'].map((id) => personality(id, 'ready'));
    expect(customVoiceRefusal(enterprise, many, 'e')).toBeUndefined();
  });
});
