// The usage report over HTTP: its totals and groups equal sums of the usage records read straight from the table,
// cache savings included; its budget matches the month's counter and the plan; bad queries are refused by name.
import { beforeEach, describe, expect, it } from 'vitest';
import { PLANS } from '../../functions/tenants/plans.ts';
import { call, freshTenant, setPlan, usageCounter, usageRecords } from './support.ts';

type UsageRecord = Record<string, any>;

let tenant: Awaited<ReturnType<typeof freshTenant>>;

beforeEach(async () => {
  tenant = await freshTenant();
});

const today = () => new Date().toISOString().slice(0, 10);

const report = (query: string, token = tenant.admin) => call(`/api/admin/voice/usage${query}`, { token });

async function generate(personalityId: string, text: string) {
  const spoken = await call(`/api/admin/ai-personalities/${personalityId}/voice/generate`, {
    token: tenant.admin,
    json: { text },
  });
  expect(spoken.status).toBe(200);
  return spoken.body;
}

/** The figures the report should show for these records, computed here from the raw items. */
function expected(records: UsageRecord[]) {
  const sum = (pick: (record: UsageRecord) => number) => records.reduce((total, r) => total + pick(r), 0);
  const characters = sum((r) => r.characters);
  const cachedCharacters = sum((r) => (r.cached ? r.characters : 0));
  return {
    requests: records.length,
    characters,
    billable_characters: characters - cachedCharacters,
    audio_seconds: sum((r) => r.audio_seconds),
    cost_usd: sum((r) => r.cost_usd),
    cached_share: characters ? cachedCharacters / characters : 0,
    saved_usd: sum((r) => r.saved_usd),
  };
}

function expectFigures(actual: Record<string, number>, records: UsageRecord[]) {
  const want = expected(records);
  expect(actual).toMatchObject({
    requests: want.requests,
    characters: want.characters,
    billable_characters: want.billable_characters,
  });
  expect(actual.audio_seconds).toBeCloseTo(want.audio_seconds, 2);
  expect(actual.cost_usd).toBeCloseTo(want.cost_usd, 6);
  expect(actual.cached_share).toBeCloseTo(want.cached_share, 4);
  expect(actual.saved_usd).toBeCloseTo(want.saved_usd, 6);
}

function byKey(records: UsageRecord[], key: (record: UsageRecord) => string) {
  const groups = new Map<string, UsageRecord[]>();
  for (const record of records) groups.set(key(record), [...(groups.get(key(record)) ?? []), record]);
  return groups;
}

describe('the usage report', () => {
  it('sums what was spoken by day, provider and personality, as the records say, cache hits included', async () => {
    await setPlan(tenant.tenantId, 'small_business');
    const polly = await call('/api/admin/ai-personalities', {
      token: tenant.admin,
      json: { name: 'Polly voice', voice_config: { provider: 'polly', voice_id: 'Joanna' } },
    });
    await generate('marcel', 'Welcome in, friend. What are you after today?');
    await generate('marcel', 'Welcome in, friend. We have gummies.');
    await generate('marcel', 'Welcome in, friend. What are you after today?');
    await generate(polly.body.id, 'Hello from another voice.');
    await generate(polly.body.id, 'Hello from another voice.');

    const records = await usageRecords(tenant.tenantId);
    const [day, provider, personality] = await Promise.all([
      report('?group_by=day'),
      report(`?from=${today()}&to=${today()}&group_by=provider`),
      report('?group_by=personality'),
    ]);

    expect(records.filter((record) => record.cached).length).toBeGreaterThanOrEqual(3);
    for (const answer of [day, provider, personality]) {
      expect(answer.status).toBe(200);
      expectFigures(answer.body.totals, records);
    }
    expect(day.body).toMatchObject({ from: `${today().slice(0, 7)}-01`, to: today(), group_by: 'day' });
    expect(day.body.groups.map((group: { key: string }) => group.key)).toEqual([today()]);
    for (const [answer, key] of [
      [provider, (record: UsageRecord) => record.provider],
      [personality, (record: UsageRecord) => record.personality_id],
    ] as const) {
      const groups = byKey(records, key);
      expect(answer.body.groups.map((group: { key: string }) => group.key)).toEqual(
        [...groups.keys()].sort(),
      );
      for (const group of answer.body.groups) expectFigures(group, groups.get(group.key)!);
    }
    expect(provider.body.groups.map((group: { key: string }) => group.key)).toEqual(['google', 'polly']);
    expect(personality.body.groups.map((group: { key: string }) => group.key)).toEqual(
      ['marcel', polly.body.id].sort(),
    );
    expect(day.body.totals.saved_usd).toBeGreaterThan(0);
  });

  it('shows the month’s budget from the counter and the plan', async () => {
    await setPlan(tenant.tenantId, 'small_business');
    await generate('marcel', 'Counting characters. Counting characters.');

    const answer = await report('');
    const counter = await usageCounter(tenant.tenantId);
    const budget = PLANS.small_business.monthlyCharacters!;
    const used = counter!.characters - counter!.cached_characters;

    expect(used).toBeGreaterThan(0);
    expect(answer.body.budget).toMatchObject({
      month: today().slice(0, 7),
      plan: { id: 'small_business', monthly_characters: budget, hard_limit_characters: 4_500_000 },
      used_characters: used,
      monthly_characters: budget,
      left_characters: budget - used,
    });
    expect(answer.body.budget.used_share).toBeCloseTo(used / budget, 4);
    expect(answer.body.budget.cost_usd).toBeCloseTo(counter!.cost_usd, 6);
  });

  it('shows an unlimited budget as null, and an empty range as zeros', async () => {
    await setPlan(tenant.tenantId, 'enterprise');

    const answer = await report('?from=2020-01-01&to=2020-01-31&group_by=provider');

    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      from: '2020-01-01',
      to: '2020-01-31',
      totals: { requests: 0, characters: 0, cost_usd: 0, cached_share: 0 },
      groups: [],
      budget: { monthly_characters: null, left_characters: null, used_share: null, used_characters: 0 },
    });
  });

  it('shows a tenant only its own usage', async () => {
    await generate('marcel', 'Only mine.');
    const other = await freshTenant();

    const theirs = await report('', other.admin);

    expect(theirs.status).toBe(200);
    expect(theirs.body.totals.requests).toBe(0);
    expect((await report('')).body.totals.requests).toBe(1);
  });
});

describe('bad queries', () => {
  it.each([
    ['?from=2025-03-10&to=2025-03-09', 'to'],
    ['?from=2025-02-30', 'from'],
    ['?to=yesterday', 'to'],
    ['?from=2024-01-01&to=2025-01-01', 'from'],
    ['?group_by=week', 'group_by'],
  ])('refuses %s, naming %s', async (query, field) => {
    const answer = await report(query);

    expect(answer.status).toBe(400);
    expect(answer.body.error.code).toBe('invalid_request');
    expect(answer.body.error.details.map((detail: { field: string }) => detail.field)).toContain(field);
    expect(answer.body.error.message).toContain(field);
  });

  it('is for admins only', async () => {
    expect((await report('', tenant.member)).status).toBe(403);
  });
});
