// Plans enforced over HTTP on the local stack: text only on free, default voices on small business, one custom voice
// on professional, a soft budget and a hard limit, the warning at 80%, and no limits on enterprise.
import { randomUUID } from 'node:crypto';
import { QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { verifyWebhookSignature } from '../../functions/webhooks/signing.ts';
import { closeReceivers, startReceiver } from './webhook-receiver.ts';
import { LOCAL_RESOURCES } from '../../local/stack.ts';
import { createEntities } from '../../functions/store/models.ts';
import { PLANS } from '../../functions/tenants/plans.ts';
import {
  call,
  freshTenant,
  setPlan,
  simulator,
  tableClient,
  tenantItems,
  usageCounter,
  usageRecords,
} from './support.ts';
import { CONSENT, finishedTraining, judgedSamples, speechWav, uploadRecordings } from './training-support.ts';

const BASE = '/api/admin/ai-personalities';
const month = () => new Date().toISOString().slice(0, 7);
const unique = (text: string) => `${text} [${randomUUID().slice(0, 8)}]`;

let tenant: Awaited<ReturnType<typeof freshTenant>>;

beforeEach(async () => {
  tenant = await freshTenant();
});

const generate = (personalityId: string, text: string) =>
  call(`${BASE}/${personalityId}/voice/generate`, { token: tenant.admin, json: { text } });

const chat = (personalityId: string, message: string) =>
  call('/api/chat', {
    token: tenant.member,
    json: { message: unique(message), personality_id: personalityId },
  });

const train = (personalityId: string, sampleIds: string[]) =>
  call(`${BASE}/${personalityId}/voice/train`, {
    token: tenant.admin,
    json: { sample_ids: sampleIds, provider: 'elevenlabs', consent: CONSENT },
  });

/** A personality speaking with an ElevenLabs voice of its own, Google's Neural2 as its fallback. */
async function personalityWithOwnVoice(name: string): Promise<{ id: string; voiceId: string }> {
  const voiceId = `plan-${randomUUID().replace(/-/g, '').slice(0, 16)}`;
  await simulator('elevenlabs').addVoice({ id: voiceId, name, languages: ['en-US'], gender: 'female' });
  const created = await call(BASE, {
    token: tenant.admin,
    json: {
      name,
      traits: { gender: 'female' },
      voice_config: {
        provider: 'elevenlabs',
        voice_id: voiceId,
        fallback: { provider: 'google', voice_id: 'en-US-Neural2-F' },
      },
    },
  });
  expect(created.status).toBe(201);
  return { id: created.body.id, voiceId };
}

/** Marks the personality's voice as cloned, as a finished training leaves it, without running one. */
async function markCloned(personalityId: string): Promise<void> {
  await tableClient().send(
    new UpdateCommand({
      TableName: LOCAL_RESOURCES.tableName,
      Key: { pk: `TENANT#${tenant.tenantId}`, sk: `PERSONALITY#${personalityId}` },
      UpdateExpression: 'SET voice_config.#status = :ready',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':ready': 'ready' },
    }),
  );
}

async function clonedPersonality(name: string) {
  const personality = await personalityWithOwnVoice(name);
  await markCloned(personality.id);
  return personality;
}

/** Sets this month's `all` counter as if `characters` had been paid for already. */
async function seedMonth(characters: number): Promise<void> {
  const entities = createEntities({ client: tableClient(), table: LOCAL_RESOURCES.tableName });
  await entities.usageCounters
    .upsert({
      tenant_id: tenant.tenantId,
      month: month(),
      scope: 'all',
      characters,
      cached_characters: 0,
      requests: 1,
      cost_usd: 0,
    })
    .go();
}

async function synthesisRequests(voiceId: string) {
  return (await simulator('elevenlabs').requests(voiceId)).filter((request) => request.method === 'POST');
}

/** Everything a training leaves behind: a job, the tenant's lock, an audit event. */
async function trainingTraces(): Promise<unknown[]> {
  const jobsAndLocks = (await tenantItems(tenant.tenantId)).filter((item) =>
    String(item.sk).startsWith('TRAINING'),
  );
  const { Items: audit } = await tableClient().send(
    new QueryCommand({
      TableName: LOCAL_RESOURCES.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': `TENANT#${tenant.tenantId}#AUDIT` },
      ConsistentRead: true,
    }),
  );
  return [...jobsAndLocks, ...(audit ?? [])];
}

async function budgetAlerts(): Promise<unknown[]> {
  return (await tenantItems(tenant.tenantId)).filter((item) => String(item.sk).startsWith('ALERT#'));
}

describe('free', () => {
  it('replies in text only: the voice routes refuse, chat answers without audio, nothing is recorded', async () => {
    await setPlan(tenant.tenantId, 'free');

    const spoken = await generate('marcel', 'Welcome in, friend.');
    const replied = await chat('marcel', 'Do you have gummies?');

    expect(spoken.status).toBe(403);
    expect(spoken.body.error).toMatchObject({
      code: 'plan_no_voice',
      message: 'The Free plan replies in text only; upgrade to give personalities a voice.',
    });
    expect(replied.status).toBe(200);
    expect(replied.body.text.length).toBeGreaterThan(0);
    expect(replied.body).toMatchObject({
      audio_url: null,
      voice: { spoke: false, reason: 'plan_no_voice' },
    });
    expect(await usageRecords(tenant.tenantId)).toEqual([]);
  });
});

describe('small business', () => {
  it('speaks with default voices, and a cloned voice gives way to its fallback, saying why', async () => {
    await setPlan(tenant.tenantId, 'small_business');
    const cloned = await clonedPersonality('Cloned');

    const stock = await generate('marcel', 'Welcome in, friend.');
    const fellBack = await generate(cloned.id, 'This would be my own voice.');

    expect(stock.status).toBe(200);
    expect(stock.body).toMatchObject({ provider: 'google', fell_back: false });
    expect(fellBack.status).toBe(200);
    expect(fellBack.body).toMatchObject({ provider: 'google', voice_id: 'en-US-Neural2-F', fell_back: true });
    expect(fellBack.body.fallback_reasons).toEqual([
      { provider: 'elevenlabs', voice_id: cloned.voiceId, reason: 'plan_excludes_custom_voice' },
    ]);
    expect(await synthesisRequests(cloned.voiceId)).toEqual([]);
  });

  it('refuses to train a custom voice, writing nothing', async () => {
    await setPlan(tenant.tenantId, 'small_business');
    const { id } = await personalityWithOwnVoice('Hopeful');

    const refused = await train(id, ['s-0000000000']);

    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('plan_excludes_custom_voice');
    expect(refused.body.error.message).toContain('Small business plan');
    expect(await trainingTraces()).toEqual([]);
    const after = await call(`${BASE}/${id}`, { token: tenant.admin });
    expect(after.body.voice_config.status).toBe('none');
  });
});

describe('professional', () => {
  it('trains one custom voice, and refuses a second personality’s, naming who holds the first', async () => {
    await setPlan(tenant.tenantId, 'professional');
    const first = await personalityWithOwnVoice('First');
    const second = await personalityWithOwnVoice('Second');
    const sampleIds = await uploadRecordings(tenant.admin, first.id, [
      { name: 'one.wav', bytes: await speechWav(35) },
      { name: 'two.wav', bytes: await speechWav(36) },
    ]);
    await judgedSamples(tenant.admin, first.id);

    const started = await train(first.id, sampleIds);
    const status = await finishedTraining(tenant.admin, first.id);
    const spoken = await generate(first.id, 'My very own voice.');
    const tracesBefore = (await trainingTraces()).length;
    const refused = await train(second.id, ['s-0000000000']);

    expect(started.status).toBe(202);
    expect(status.status).toBe('ready');
    expect(spoken.body).toMatchObject({
      provider: 'elevenlabs',
      voice_id: status.voice_id,
      fell_back: false,
    });
    expect(refused.status).toBe(403);
    expect(refused.body.error).toMatchObject({
      code: 'custom_voice_limit',
      details: { custom_voices: 1, held_by: [{ id: first.id, name: 'First', status: 'ready' }] },
    });
    expect(refused.body.error.message).toContain('allows 1 custom voice, held by First');
    expect((await trainingTraces()).length).toBe(tracesBefore);
    const secondAfter = await call(`${BASE}/${second.id}`, { token: tenant.admin });
    expect(secondAfter.body.voice_config).toMatchObject({ voice_id: second.voiceId, status: 'none' });
  });
});

describe('the monthly budget', () => {
  const plan = PLANS.professional;

  it('lets a cloned voice speak just under the budget, passes it over from the budget on', async () => {
    await setPlan(tenant.tenantId, 'professional');
    const cloned = await clonedPersonality('Budgeted');

    await seedMonth(plan.monthlyCharacters! - 1000);
    const under = await generate(cloned.id, 'Still my own voice.');
    await seedMonth(plan.monthlyCharacters!);
    const over = await generate(cloned.id, 'Now a stock voice.');

    expect(under.body).toMatchObject({ provider: 'elevenlabs', voice_id: cloned.voiceId, fell_back: false });
    expect(over.status).toBe(200);
    expect(over.body).toMatchObject({ provider: 'google', fell_back: true });
    expect(over.body.fallback_reasons).toEqual([
      { provider: 'elevenlabs', voice_id: cloned.voiceId, reason: 'budget_exceeded' },
    ]);
  });

  it('refuses to train a custom voice once the budget is spent: it could not speak this month', async () => {
    await setPlan(tenant.tenantId, 'professional');
    const { id } = await personalityWithOwnVoice('Late');
    await seedMonth(plan.monthlyCharacters!);

    const refused = await train(id, ['s-0000000000']);

    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('budget_exceeded');
    expect(refused.body.error.message).toContain('custom voices are paused until');
    expect(await trainingTraces()).toEqual([]);
  });

  it('ends speech at the hard limit: the voice routes refuse and chat replies in text, saying why', async () => {
    await setPlan(tenant.tenantId, 'professional');
    await seedMonth(plan.hardLimitCharacters!);

    const spoken = await generate('marcel', 'Anyone there?');
    const replied = await chat('marcel', 'Can you still talk?');

    expect(spoken.status).toBe(403);
    expect(spoken.body.error.code).toBe('budget_exhausted');
    expect(spoken.body.error.message).toContain('15,000,000 characters');
    expect(spoken.body.error.message).toContain('next month');
    expect(replied.status).toBe(200);
    expect(replied.body).toMatchObject({
      audio_url: null,
      voice: { spoke: false, reason: 'budget_exhausted' },
    });
    expect(await usageRecords(tenant.tenantId)).toEqual([]);
  });

  it('warns once, by a signed webhook, when speech carries the month across 80% of the budget', async () => {
    await setPlan(tenant.tenantId, 'small_business');
    const receiver = await startReceiver();
    const settings = await call('/api/admin/tenant/settings', {
      method: 'PUT',
      token: tenant.admin,
      json: { webhook_url: receiver.url },
    });
    const line = 0.8 * PLANS.small_business.monthlyCharacters!;
    await seedMonth(line - 5);

    expect(await budgetAlerts()).toEqual([]);
    const crossing = await generate('marcel', 'This sentence carries the month past the line.');
    const after = await generate('marcel', 'And this one comes after it.');
    await vi.waitFor(() => expect(receiver.requests).toHaveLength(1), { timeout: 10_000 });

    expect([crossing.status, after.status]).toEqual([200, 200]);
    expect(await budgetAlerts()).toEqual([
      expect.objectContaining({ sk: `ALERT#${month()}#budget_80`, kind: 'budget_80' }),
    ]);
    expect((await usageCounter(tenant.tenantId))?.characters).toBeGreaterThanOrEqual(line);
    const [delivery] = receiver.requests;
    expect(
      verifyWebhookSignature(
        settings.body.webhook_secret,
        delivery!.headers as Record<string, string>,
        delivery!.body,
      ),
    ).toBe(true);
    expect(JSON.parse(delivery!.body)).toMatchObject({
      type: 'usage.budget.80_percent',
      tenant_id: tenant.tenantId,
      data: {
        month: month(),
        plan: 'small_business',
        monthly_characters: PLANS.small_business.monthlyCharacters,
      },
    });
    // The second request, also past the line, sent nothing more.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(receiver.requests).toHaveLength(1);
    await closeReceivers();
  });

  it('does not warn below 80%', async () => {
    await setPlan(tenant.tenantId, 'small_business');
    await seedMonth(0.8 * PLANS.small_business.monthlyCharacters! - 10_000);

    const spoken = await generate('marcel', 'A short one.');

    expect(spoken.status).toBe(200);
    expect(await budgetAlerts()).toEqual([]);
  });
});

describe('enterprise', () => {
  it('has no limits: a cloned voice speaks past any count, and more voices may train', async () => {
    await setPlan(tenant.tenantId, 'enterprise');
    const cloned = await clonedPersonality('Unlimited');
    await clonedPersonality('Another');
    const third = await personalityWithOwnVoice('Third');
    await seedMonth(10 ** 10);

    const spoken = await generate(cloned.id, 'No ceiling here.');
    // Past the plan's checks, the request meets the sample checks: the sample id is made up.
    const training = await train(third.id, ['s-0000000000']);

    expect(spoken.body).toMatchObject({ provider: 'elevenlabs', voice_id: cloned.voiceId, fell_back: false });
    expect(training.status).toBe(400);
    expect(training.body.error.code).toBe('sample_not_found');
    expect(await budgetAlerts()).toEqual([]);
  });
});
