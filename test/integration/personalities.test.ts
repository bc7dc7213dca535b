// Personalities over HTTP on the local stack: CRUD, versions, built-ins, and every refusal changing nothing.
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { beforeEach, describe, expect, it } from 'vitest';
import { LOCAL_RESOURCES } from '../../local/stack.ts';
import { call, freshTenant, tableClient, tenantItems } from './support.ts';

const BASE = '/api/admin/ai-personalities';

const budbot = {
  name: 'Budbot',
  traits: { age: 30, gender: 'non-binary', humor_style: 'witty', humor_level: 6 },
  response_style: { opening_phrases: ['Hey there!'], closing_phrases: ['Take care.'] },
  system_prompt: 'Mention the loyalty programme once.',
  emoji: '🤖',
};

let tenant: Awaited<ReturnType<typeof freshTenant>>;

beforeEach(async () => {
  tenant = await freshTenant();
});

async function createBudbot(overrides: Record<string, unknown> = {}) {
  const response = await call(BASE, { token: tenant.admin, json: { ...budbot, ...overrides } });
  expect(response.status).toBe(201);
  return response.body;
}

describe('listing', () => {
  it('shows a new tenant the built-ins marcel, shanté and zac at version 0', async () => {
    const response = await call(BASE, { token: tenant.admin });

    expect(response.status).toBe(200);
    const personalities = response.body.personalities as Array<{
      id: string;
      name: string;
      source: string;
      version: number;
    }>;
    expect(personalities.map((p) => p.id)).toEqual(['marcel', 'shante', 'zac']);
    expect(personalities.map((p) => p.name)).toEqual(['Marcel', 'Shanté', 'Zac']);
    expect(personalities.every((p) => p.source === 'builtin' && p.version === 0)).toBe(true);
  });

  it('lists the tenant’s own personalities after the built-ins', async () => {
    const created = await createBudbot();

    const response = await call(BASE, { token: tenant.admin });

    expect(response.body.personalities.map((p: { id: string }) => p.id)).toEqual([
      'marcel',
      'shante',
      'zac',
      created.id,
    ]);
  });

  it('gives tenant apps only the active personalities', async () => {
    await call(`${BASE}/zac`, { method: 'PUT', token: tenant.admin, json: { version: 0, is_active: false } });

    const response = await call('/api/personalities', { token: tenant.member });

    expect(response.status).toBe(200);
    expect(response.body.personalities.map((p: { id: string }) => p.id)).toEqual(['marcel', 'shante']);
    expect(Object.keys(response.body.personalities[0]).sort()).toEqual(['emoji', 'id', 'language', 'name']);
  });
});

describe('create and read', () => {
  it('creates at version 1 under the tenant’s key and reads it back with its ETag', async () => {
    const created = await createBudbot();

    expect(created).toMatchObject({
      ...budbot,
      source: 'tenant',
      version: 1,
      language: 'en-US',
      is_active: true,
    });
    expect(created.id).toMatch(/^budbot-[a-z0-9]{6}$/);
    const read = await call(`${BASE}/${created.id}`, { token: tenant.admin });
    expect(read.status).toBe(200);
    expect(read.headers.get('etag')).toBe('"1"');
    expect(read.body).toEqual(created);
    const { Item } = await tableClient().send(
      new GetCommand({
        TableName: LOCAL_RESOURCES.tableName,
        Key: { pk: `TENANT#${tenant.tenantId}`, sk: `PERSONALITY#${created.id}` },
      }),
    );
    expect(Item).toMatchObject({ name: 'Budbot', version: 1, tenant_id: tenant.tenantId });
  });

  it('answers 404 for an id nobody has and for ids that cannot exist', async () => {
    for (const id of ['nobody-here', 'UPPER', 'x'.repeat(80), '..%2F..%2Fetc', '%E2%9C%93']) {
      const response = await call(`${BASE}/${id}`, { token: tenant.admin });
      expect(response.status, id).toBe(404);
      expect(response.body.error.code, id).toMatch(/not_found$/);
    }
  });
});

describe('update with optimistic locking', () => {
  it('applies a change at the current version and moves the version on', async () => {
    const created = await createBudbot();

    const response = await call(`${BASE}/${created.id}`, {
      method: 'PUT',
      token: tenant.admin,
      json: {
        version: 1,
        traits: { humor_level: 2 },
        response_style: { product_transitions: ['Try this:'] },
      },
    });

    expect(response.status).toBe(200);
    expect(response.headers.get('etag')).toBe('"2"');
    expect(response.body.version).toBe(2);
    // Traits and phrase banks merge key by key.
    expect(response.body.traits).toEqual({ ...budbot.traits, humor_level: 2 });
    expect(response.body.response_style).toEqual({
      ...budbot.response_style,
      product_transitions: ['Try this:'],
    });
  });

  it('takes the version from If-Match as well', async () => {
    const created = await createBudbot();

    const response = await call(`${BASE}/${created.id}`, {
      method: 'PUT',
      token: tenant.admin,
      headers: { 'if-match': '"1"' },
      json: { name: 'Budbot Prime' },
    });

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ name: 'Budbot Prime', version: 2 });
  });

  it('refuses a stale version with 409 and keeps the newer change', async () => {
    const created = await createBudbot();
    await call(`${BASE}/${created.id}`, {
      method: 'PUT',
      token: tenant.admin,
      json: { version: 1, name: 'First' },
    });

    const stale = await call(`${BASE}/${created.id}`, {
      method: 'PUT',
      token: tenant.admin,
      json: { version: 1, name: 'Second' },
    });

    expect(stale.status).toBe(409);
    expect(stale.body.error).toMatchObject({ code: 'version_conflict', details: { current_version: 2 } });
    const read = await call(`${BASE}/${created.id}`, { token: tenant.admin });
    expect(read.body).toMatchObject({ name: 'First', version: 2 });
  });

  it('lets exactly one of two concurrent updates at the same version win', async () => {
    const created = await createBudbot();

    const results = await Promise.all(
      ['A', 'B', 'C', 'D'].map((name) =>
        call(`${BASE}/${created.id}`, { method: 'PUT', token: tenant.admin, json: { version: 1, name } }),
      ),
    );

    expect(results.map((r) => r.status).sort()).toEqual([200, 409, 409, 409]);
    const read = await call(`${BASE}/${created.id}`, { token: tenant.admin });
    expect(read.body.version).toBe(2);
  });

  it('asks for a version when none is named (428)', async () => {
    const created = await createBudbot();

    const response = await call(`${BASE}/${created.id}`, {
      method: 'PUT',
      token: tenant.admin,
      json: { name: 'X' },
    });

    expect(response.status).toBe(428);
    expect(response.body.error.code).toBe('version_required');
  });

  it('copies a customised built-in into the tenant and leaves other tenants on the original', async () => {
    const other = await freshTenant();

    const response = await call(`${BASE}/marcel`, {
      method: 'PUT',
      token: tenant.admin,
      json: { version: 0, traits: { humor_level: 9 } },
    });

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ id: 'marcel', source: 'tenant', based_on: 'marcel', version: 1 });
    expect(response.body.traits.humor_level).toBe(9);
    expect(response.body.traits.gender).toBe('male');
    const mine = await call(`${BASE}/marcel`, { token: tenant.admin });
    const theirs = await call(`${BASE}/marcel`, { token: other.admin });
    expect(mine.body.version).toBe(1);
    expect(theirs.body).toMatchObject({ source: 'builtin', version: 0 });
    expect(theirs.body.traits.humor_level).not.toBe(9);
  });
});

describe('delete', () => {
  it('deletes the tenant’s own personality', async () => {
    const created = await createBudbot();

    const response = await call(`${BASE}/${created.id}`, { method: 'DELETE', token: tenant.admin });

    expect(response.status).toBe(204);
    expect((await call(`${BASE}/${created.id}`, { token: tenant.admin })).status).toBe(404);
    expect(await tenantItems(tenant.tenantId)).toEqual([]);
  });

  it('refuses to delete a built-in, customised or not', async () => {
    await call(`${BASE}/shante`, { method: 'PUT', token: tenant.admin, json: { version: 0, emoji: '🌸' } });

    for (const id of ['marcel', 'shante']) {
      const response = await call(`${BASE}/${id}`, { method: 'DELETE', token: tenant.admin });
      expect(response.status, id).toBe(409);
      expect(response.body.error.code).toBe('builtin_personality');
    }
    expect((await call(`${BASE}/shante`, { token: tenant.admin })).body.emoji).toBe('🌸');
  });

  it('refuses a stale If-Match and an unknown id', async () => {
    const created = await createBudbot();

    const stale = await call(`${BASE}/${created.id}`, {
      method: 'DELETE',
      token: tenant.admin,
      headers: { 'if-match': '"7"' },
    });
    const unknown = await call(`${BASE}/nobody-here`, { method: 'DELETE', token: tenant.admin });

    expect(stale.status).toBe(409);
    expect(unknown.status).toBe(404);
    expect((await call(`${BASE}/${created.id}`, { token: tenant.admin })).status).toBe(200);
  });
});

describe('tenant settings', () => {
  it('sets and clears the primary personality', async () => {
    const created = await createBudbot();

    const set = await call('/api/admin/tenant/settings', {
      method: 'PUT',
      token: tenant.admin,
      json: { primary_personality_id: created.id },
    });
    const read = await call('/api/admin/tenant/settings', { token: tenant.admin });
    const cleared = await call('/api/admin/tenant/settings', {
      method: 'PUT',
      token: tenant.admin,
      json: { primary_personality_id: null },
    });

    expect(set.status).toBe(200);
    expect(read.body).toMatchObject({ tenant_id: tenant.tenantId, primary_personality_id: created.id });
    expect(cleared.body.primary_personality_id).toBeNull();
    expect(
      (await call('/api/admin/tenant/settings', { token: tenant.admin })).body.primary_personality_id,
    ).toBeNull();
  });

  it('starts on the default plan with no primary personality, default voice or webhook, samples kept 30 days', async () => {
    const response = await call('/api/admin/tenant/settings', { token: tenant.admin });

    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      tenant_id: tenant.tenantId,
      // The integration stack's DEFAULT_PLAN.
      plan: expect.objectContaining({ id: 'enterprise', voice: 'custom', monthly_characters: null }),
      primary_personality_id: null,
      default_voice: null,
      sample_retention_days: 30,
      webhook_url: null,
      webhook_secret_set: false,
    });
  });

  it('refuses an unknown or inactive primary personality and keeps the primary from being deleted', async () => {
    const created = await createBudbot();
    const inactive = await createBudbot({ name: 'Sleepy', is_active: false });
    await call('/api/admin/tenant/settings', {
      method: 'PUT',
      token: tenant.admin,
      json: { primary_personality_id: created.id },
    });

    const unknown = await call('/api/admin/tenant/settings', {
      method: 'PUT',
      token: tenant.admin,
      json: { primary_personality_id: 'nobody-here' },
    });
    const sleepy = await call('/api/admin/tenant/settings', {
      method: 'PUT',
      token: tenant.admin,
      json: { primary_personality_id: inactive.id },
    });
    const deletion = await call(`${BASE}/${created.id}`, { method: 'DELETE', token: tenant.admin });

    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toContain('primary_personality_id');
    expect(sleepy.status).toBe(400);
    expect(deletion.status).toBe(409);
    expect(deletion.body.error.code).toBe('personality_is_primary');
    expect(
      (await call('/api/admin/tenant/settings', { token: tenant.admin })).body.primary_personality_id,
    ).toBe(created.id);
  });
});
