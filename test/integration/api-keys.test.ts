// Tenant API keys over HTTP on the local stack: create, list, revoke, keyed calls to consumer routes, refusals and
// per-key rate limits. The Lambda authorizer has its own file, api-key-authorizer.test.ts.
import { createHash, randomBytes } from 'node:crypto';
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { beforeEach, describe, expect, inject, it } from 'vitest';
import { LOCAL_RESOURCES } from '../../local/stack.ts';
import { call, freshTenant, setPlan, tableClient, tenantItems } from './support.ts';

const KEYS = '/api/admin/api-keys';

let tenant: Awaited<ReturnType<typeof freshTenant>>;

beforeEach(async () => {
  tenant = await freshTenant();
});

async function createKey(admin = tenant.admin, name = 'shop website') {
  const response = await call(KEYS, { token: admin, json: { name } });
  expect(response.status).toBe(201);
  return response.body as { id: string; api_key: string; prefix: string; [field: string]: unknown };
}

const withKey = (path: string, apiKey: string, options: { json?: unknown; method?: string } = {}) =>
  call(path, { ...options, headers: { 'x-api-key': apiKey } });

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

async function lookupItem(secret: string) {
  const { Item } = await tableClient().send(
    new GetCommand({
      TableName: LOCAL_RESOURCES.tableName,
      Key: { pk: `APIKEY#${sha256(secret)}`, sk: 'KEY' },
      ConsistentRead: true,
    }),
  );
  return Item;
}

async function auditActions(tenantId: string) {
  const { Items } = await tableClient().send(
    new QueryCommand({
      TableName: LOCAL_RESOURCES.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': `TENANT#${tenantId}#AUDIT` },
      ConsistentRead: true,
    }),
  );
  return (Items ?? []).map((item) => ({
    action: item.action,
    actor: item.actor,
    keyId: item.details?.key_id,
  }));
}

describe('creating and listing keys', () => {
  it('shows the secret in the creation answer only and stores nothing but its hash', async () => {
    const created = await createKey();

    expect(created.api_key).toMatch(/^vap_[A-Za-z0-9_-]{43}$/);
    expect(created).toMatchObject({
      id: expect.stringMatching(/^key_[0-9a-f]{16}$/),
      name: 'shop website',
      prefix: created.api_key.slice(0, 12),
      created_by: `local-admin@${tenant.tenantId}`,
      last_used_at: null,
      revoked_at: null,
      requests_per_minute: 3000,
    });
    const listed = await call(KEYS, { token: tenant.admin });
    expect(listed.status).toBe(200);
    const { api_key: _secret, ...shown } = created;
    expect(listed.body.api_keys).toEqual([shown]);
    expect(JSON.stringify(listed.body)).not.toContain(created.api_key);
    expect(JSON.stringify(listed.body)).not.toContain(sha256(created.api_key));

    const keyItem = (await tenantItems(tenant.tenantId)).find((item) => item.sk === `APIKEY#${created.id}`);
    expect(keyItem?.key_hash).toBe(sha256(created.api_key));
    expect(JSON.stringify(keyItem)).not.toContain(created.api_key);
    const lookup = await lookupItem(created.api_key);
    expect(lookup).toMatchObject({ tenant_id: tenant.tenantId, id: created.id });
    expect(JSON.stringify(lookup)).not.toContain(created.api_key);
    expect(await auditActions(tenant.tenantId)).toContainEqual({
      action: 'api_key.created',
      actor: `local-admin@${tenant.tenantId}`,
      keyId: created.id,
    });
  });

  it('lists every key of the tenant, newest first, and none of another tenant', async () => {
    const other = await freshTenant();
    const first = await createKey(tenant.admin, 'kiosk');
    const second = await createKey(tenant.admin, 'app');
    await createKey(other.admin, 'theirs');

    const listed = await call(KEYS, { token: tenant.admin });

    expect(listed.body.api_keys.map((key: { id: string }) => key.id)).toEqual([second.id, first.id]);
  });

  it('shows the limit of the tenant’s plan with each key', async () => {
    await setPlan(tenant.tenantId, 'small_business');
    await createKey();

    const listed = await call(KEYS, { token: tenant.admin });

    expect(listed.body.api_keys[0].requests_per_minute).toBe(300);
  });

  it('refuses a key without a name, and members may not manage keys', async () => {
    const nameless = await call(KEYS, { token: tenant.admin, json: { name: '  ' } });
    const byMember = await call(KEYS, { token: tenant.member, json: { name: 'mine' } });
    const listByMember = await call(KEYS, { token: tenant.member });

    expect(nameless.status).toBe(400);
    expect(nameless.body.error.code).toBe('invalid_request');
    expect(byMember.status).toBe(403);
    expect(listByMember.status).toBe(403);
    expect((await tenantItems(tenant.tenantId)).some((item) => String(item.sk).startsWith('APIKEY#'))).toBe(
      false,
    );
  });

  it('holds at most 50 active keys; revoking one makes room', async () => {
    const ids: string[] = [];
    for (let batch = 0; batch < 5; batch += 1) {
      const created = await Promise.all(Array.from({ length: 10 }, () => createKey()));
      ids.push(...created.map((key) => key.id));
    }

    const refused = await call(KEYS, { token: tenant.admin, json: { name: 'one too many' } });
    await call(`${KEYS}/${ids[0]}`, { method: 'DELETE', token: tenant.admin });
    const afterRevoking = await call(KEYS, { token: tenant.admin, json: { name: 'replacement' } });

    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('api_key_limit_reached');
    expect(refused.body.error.message).toContain('50');
    expect(afterRevoking.status).toBe(201);
  });
});

describe('calling with a key', () => {
  it('reads the key’s own tenant on GET /api/personalities', async () => {
    const other = await freshTenant();
    const mine = await call('/api/admin/ai-personalities', {
      token: tenant.admin,
      json: {
        name: 'Budbot',
        traits: { age: 30, gender: 'non-binary', humor_style: 'witty', humor_level: 6 },
        response_style: { opening_phrases: ['Hey there!'], closing_phrases: ['Take care.'] },
        emoji: '🤖',
      },
    });
    expect(mine.status).toBe(201);
    const key = await createKey();
    const theirKey = await createKey(other.admin);

    const ours = await withKey('/api/personalities', key.api_key);
    const theirs = await withKey('/api/personalities', theirKey.api_key);

    expect(ours.status).toBe(200);
    expect(ours.body.personalities.map((p: { id: string }) => p.id)).toContain(mine.body.id);
    expect(theirs.status).toBe(200);
    expect(theirs.body.personalities.map((p: { id: string }) => p.id)).not.toContain(mine.body.id);
  });

  it('chats on POST /api/chat in the key’s tenant', async () => {
    const other = await freshTenant();
    const key = await createKey();

    const answer = await withKey('/api/chat', key.api_key, { json: { message: 'hi' } });

    expect(answer.status).toBe(200);
    expect(answer.body.text).toEqual(expect.any(String));
    const conversation = `/api/conversations/${answer.body.conversation_id}`;
    expect((await call(conversation, { token: tenant.member })).status).toBe(200);
    expect((await call(conversation, { token: other.member })).status).toBe(404);
    expect((await withKey(conversation, key.api_key)).status).toBe(200);
  });

  it('opens the streaming chat route too', async () => {
    const key = await createKey();

    const response = await fetch(`${inject('stackUrl')}/api/chat/stream`, {
      method: 'POST',
      headers: { 'x-api-key': key.api_key, 'content-type': 'application/json' },
      body: JSON.stringify({ message: 'hi' }),
    });
    const text = await response.text();

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    expect(text).toContain('event: done');
  });

  it('records when the key was last used', async () => {
    const key = await createKey();
    const before = Date.now();

    await withKey('/api/personalities', key.api_key);

    const listed = await call(KEYS, { token: tenant.admin });
    const lastUsed = listed.body.api_keys.find((k: { id: string }) => k.id === key.id).last_used_at;
    expect(lastUsed).not.toBeNull();
    expect(Date.parse(lastUsed)).toBeGreaterThanOrEqual(before - 1000);
  });

  it('never opens an admin route', async () => {
    const key = await createKey();

    const response = await withKey(KEYS, key.api_key);

    expect(response.status).toBe(403);
    expect(response.body.error.code).toBe('api_key_not_allowed');
    expect(response.body.error.message).toContain('admin');
  });

  it('refuses unknown and malformed keys with 401', async () => {
    const unknown = await withKey('/api/personalities', `vap_${randomBytes(32).toString('base64url')}`);
    const malformed = await withKey('/api/personalities', 'not-a-key');
    const empty = await withKey('/api/personalities', '');

    for (const response of [unknown, malformed, empty]) {
      expect(response.status).toBe(401);
      expect(response.body.error).toEqual({
        code: 'invalid_api_key',
        message: 'The API key is not valid: it is unknown or revoked.',
      });
    }
  });

  it('refuses a request carrying both a key and a token', async () => {
    const key = await createKey();

    const response = await call('/api/personalities', {
      token: tenant.member,
      headers: { 'x-api-key': key.api_key },
    });

    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('ambiguous_credentials');
  });

  it('still takes a token on consumer routes', async () => {
    const response = await call('/api/personalities', { token: tenant.member });

    expect(response.status).toBe(200);
  });
});

describe('revoking keys', () => {
  it('stops the key at once, keeps it listed as revoked, and is fine twice', async () => {
    const key = await createKey();
    expect((await withKey('/api/personalities', key.api_key)).status).toBe(200);

    const first = await call(`${KEYS}/${key.id}`, { method: 'DELETE', token: tenant.admin });
    const afterwards = await withKey('/api/personalities', key.api_key);
    const second = await call(`${KEYS}/${key.id}`, { method: 'DELETE', token: tenant.admin });

    expect(first.status).toBe(204);
    expect(afterwards.status).toBe(401);
    expect(afterwards.body.error.code).toBe('invalid_api_key');
    expect(second.status).toBe(204);
    const listed = await call(KEYS, { token: tenant.admin });
    expect(listed.body.api_keys[0]).toMatchObject({ id: key.id, revoked_at: expect.any(String) });
    expect(await lookupItem(key.api_key)).toBeUndefined();
    const revocations = (await auditActions(tenant.tenantId)).filter((e) => e.action === 'api_key.revoked');
    expect(revocations).toEqual([
      { action: 'api_key.revoked', actor: `local-admin@${tenant.tenantId}`, keyId: key.id },
    ]);
  });

  it('answers 404 for a key of another tenant, which keeps working', async () => {
    const other = await freshTenant();
    const theirs = await createKey(other.admin);

    const response = await call(`${KEYS}/${theirs.id}`, { method: 'DELETE', token: tenant.admin });
    const unknown = await call(`${KEYS}/key_0000000000000000`, { method: 'DELETE', token: tenant.admin });

    expect(response.status).toBe(404);
    expect(response.body.error.code).toBe('not_found');
    expect(unknown.status).toBe(404);
    expect((await withKey('/api/personalities', theirs.api_key)).status).toBe(200);
  });
});

describe('rate limits', () => {
  it('refuses a key past its plan’s requests a minute, with Retry-After, while another key still works', async () => {
    await setPlan(tenant.tenantId, 'free');
    const busy = await createKey(tenant.admin, 'busy');
    const quiet = await createKey(tenant.admin, 'quiet');
    const started = Date.now();

    let allowed = 0;
    let refusal: Awaited<ReturnType<typeof withKey>> | undefined;
    while (!refusal && allowed < 200) {
      // Ten at once: containers racing for one bucket must not spend a token twice.
      const batch = await Promise.all(
        Array.from({ length: 10 }, () => withKey('/api/personalities', busy.api_key)),
      );
      allowed += batch.filter((response) => response.status === 200).length;
      refusal = batch.find((response) => response.status === 429);
      expect(batch.every((response) => response.status === 200 || response.status === 429)).toBe(true);
    }
    const elapsedSeconds = (Date.now() - started) / 1000;

    expect(refusal).toBeDefined();
    // 60 to start with, and one more each second the loop ran (the bucket refills continuously).
    expect(allowed).toBeGreaterThanOrEqual(60);
    expect(allowed).toBeLessThanOrEqual(60 + Math.ceil(elapsedSeconds) + 1);
    expect(refusal!.headers.get('retry-after')).toBe('1');
    expect(refusal!.body.error.code).toBe('rate_limited');
    expect(refusal!.body.error.message).toContain('60 requests a minute');
    expect((await withKey('/api/personalities', quiet.api_key)).status).toBe(200);
    const bucket = (await tenantItems(tenant.tenantId)).find((item) => item.sk === `RATE#${busy.id}`);
    expect(bucket?.expiresAt).toBeGreaterThan(Date.now() / 1000);
  });
});
