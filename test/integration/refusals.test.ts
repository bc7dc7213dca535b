// Bad input and bad credentials over HTTP: each gets a clear 4xx naming the problem, and nothing is written.
import { generateKeyPair, SignJWT } from 'jose';
import { beforeEach, describe, expect, it } from 'vitest';
import { LOCAL_AUDIENCE, LOCAL_ISSUER } from '../../local/issuer.ts';
import { call, freshTenant, tenantItems, token } from './support.ts';

const BASE = '/api/admin/ai-personalities';

let tenant: Awaited<ReturnType<typeof freshTenant>>;

beforeEach(async () => {
  tenant = await freshTenant();
});

describe('bad input changes nothing', () => {
  const cases: Array<{
    name: string;
    body: string;
    contentType?: string;
    status: number;
    code: string;
    field?: string;
  }> = [
    { name: 'malformed JSON', body: '{"name": "Broken",', status: 400, code: 'invalid_json' },
    { name: 'an empty body', body: '', status: 400, code: 'invalid_json' },
    { name: 'a JSON array', body: '[1,2]', status: 400, code: 'invalid_request' },
    {
      name: 'an unknown field',
      body: JSON.stringify({ name: 'X', colour: 'green' }),
      status: 400,
      code: 'invalid_request',
      field: 'colour',
    },
    {
      name: 'a tenant id in the body',
      body: JSON.stringify({ name: 'X', tenant_id: 'someone-else' }),
      status: 400,
      code: 'invalid_request',
      field: 'tenant_id',
    },
    {
      name: 'a trait outside its enumeration',
      body: JSON.stringify({ name: 'X', traits: { humor_style: 'slapstick' } }),
      status: 400,
      code: 'invalid_request',
      field: 'traits.humor_style',
    },
    {
      name: 'a level above 10',
      body: JSON.stringify({ name: 'X', traits: { empathy_level: 11 } }),
      status: 400,
      code: 'invalid_request',
      field: 'traits.empathy_level',
    },
    {
      name: 'an unknown voice provider',
      body: JSON.stringify({ name: 'X', voice_config: { provider: 'acme-tts', voice_id: 'v' } }),
      status: 400,
      code: 'invalid_request',
      field: 'voice_config.provider',
    },
    {
      name: 'a voice setting outside its provider’s range',
      body: JSON.stringify({
        name: 'X',
        voice_config: { provider: 'elevenlabs', voice_id: 'v', settings: { speed: 1.5 } },
      }),
      status: 400,
      code: 'setting_out_of_range',
      field: 'settings.speed',
    },
    {
      name: 'a missing name',
      body: JSON.stringify({ traits: {} }),
      status: 400,
      code: 'invalid_request',
      field: 'name',
    },
    {
      name: 'a form-encoded body',
      body: 'name=X',
      contentType: 'application/x-www-form-urlencoded',
      status: 415,
      code: 'unsupported_media_type',
    },
    {
      name: 'a body over 256 KB',
      body: JSON.stringify({ name: 'X', system_prompt: 'a'.repeat(300_000) }),
      status: 413,
      code: 'payload_too_large',
    },
  ];

  for (const testCase of cases) {
    it(`answers ${testCase.name} with ${testCase.status} ${testCase.code}`, async () => {
      const response = await call(BASE, {
        method: 'POST',
        token: tenant.admin,
        rawBody: testCase.body,
        headers: { 'content-type': testCase.contentType ?? 'application/json' },
      });

      expect(response.status).toBe(testCase.status);
      expect(response.body.error.code).toBe(testCase.code);
      expect(response.body.error.message.length).toBeGreaterThan(10);
      if (testCase.field) {
        expect(response.body.error.message).toContain(testCase.field);
        expect(response.body.error.details.map((d: { field: string }) => d.field)).toContain(testCase.field);
      }
      expect(await tenantItems(tenant.tenantId)).toEqual([]);
    });
  }

  it('refuses a bad update of a built-in without copying it', async () => {
    const response = await call(`${BASE}/zac`, {
      method: 'PUT',
      token: tenant.admin,
      json: { version: 0, traits: { formality: 'ceremonial' } },
    });

    expect(response.status).toBe(400);
    expect(response.body.error.message).toContain('traits.formality');
    expect(await tenantItems(tenant.tenantId)).toEqual([]);
  });

  it('refuses an If-Match that is not a version', async () => {
    const response = await call(`${BASE}/zac`, {
      method: 'PUT',
      token: tenant.admin,
      headers: { 'if-match': 'yesterday' },
      json: { name: 'Z' },
    });

    expect(response.status).toBe(400);
    expect(response.body.error.message).toContain('If-Match');
    expect(await tenantItems(tenant.tenantId)).toEqual([]);
  });

  it('answers an unknown route as API Gateway does', async () => {
    const response = await call('/api/admin/no-such-thing', { token: tenant.admin });

    expect(response.status).toBe(404);
  });
});

describe('authentication and roles', () => {
  it('refuses a request without a token', async () => {
    const response = await call(BASE);

    expect(response.status).toBe(401);
    expect(response.body.error.code).toBe('unauthorized');
    expect(response.headers.get('www-authenticate')).toBe('Bearer');
  });

  it('refuses a malformed Authorization header', async () => {
    const response = await call(BASE, { headers: { authorization: 'Basic dXNlcjpwYXNz' } });

    expect(response.status).toBe(401);
  });

  it('refuses an expired token', async () => {
    const expired = await token({ tenantId: tenant.tenantId, role: 'admin', ttlSeconds: -60 });

    const response = await call(BASE, { token: expired });

    expect(response.status).toBe(401);
    expect(response.body.error.code).toBe('token_expired');
  });

  it('refuses a token signed by another key, even with the right claims', async () => {
    const { privateKey } = await generateKeyPair('RS256');
    const forged = await new SignJWT({ 'custom:tenant_id': tenant.tenantId, 'cognito:groups': ['admin'] })
      .setProtectedHeader({ alg: 'RS256', kid: 'forged' })
      .setIssuer(LOCAL_ISSUER)
      .setAudience(LOCAL_AUDIENCE)
      .setExpirationTime('1h')
      .sign(privateKey);

    const response = await call(BASE, { token: forged });

    expect(response.status).toBe(401);
    expect(response.body.error.code).toBe('invalid_token');
  });

  it('refuses a token whose signature was tampered with', async () => {
    const [header, payload, signature] = tenant.admin.split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString());
    const otherPayload = Buffer.from(
      JSON.stringify({ ...claims, 'custom:tenant_id': 'someone-else' }),
    ).toString('base64url');

    const response = await call(BASE, { token: `${header}.${otherPayload}.${signature}` });

    expect(response.status).toBe(401);
  });

  it('refuses an unsigned token (alg none)', async () => {
    const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
    const payload = Buffer.from(
      JSON.stringify({ 'custom:tenant_id': tenant.tenantId, 'cognito:groups': ['admin'], iss: LOCAL_ISSUER }),
    ).toString('base64url');

    const response = await call(BASE, { token: `${header}.${payload}.` });

    expect(response.status).toBe(401);
  });

  it('refuses a member on an admin route with 403 and lets them use tenant routes', async () => {
    const admin = await call(BASE, { token: tenant.member });
    const create = await call(BASE, { token: tenant.member, json: { name: 'Sneaky' } });
    const picker = await call('/api/personalities', { token: tenant.member });

    expect(admin.status).toBe(403);
    expect(admin.body.error.code).toBe('forbidden');
    expect(create.status).toBe(403);
    expect(picker.status).toBe(200);
    expect(await tenantItems(tenant.tenantId)).toEqual([]);
  });

  it('checks the token before reading the body', async () => {
    const response = await call(BASE, {
      rawBody: '{broken',
      headers: { 'content-type': 'application/json' },
    });

    expect(response.status).toBe(401);
  });
});

describe('tenant isolation', () => {
  it('hides another tenant’s personality: read, change and delete all answer 404 and change nothing', async () => {
    const created = await call(BASE, { token: tenant.admin, json: { name: 'Private' } });
    const intruder = await freshTenant();
    const path = `${BASE}/${created.body.id}`;

    const read = await call(path, { token: intruder.admin });
    const change = await call(path, {
      method: 'PUT',
      token: intruder.admin,
      json: { version: 1, name: 'Mine now' },
    });
    const remove = await call(path, { method: 'DELETE', token: intruder.admin });
    const list = await call(BASE, { token: intruder.admin });
    const asPrimary = await call('/api/admin/tenant/settings', {
      method: 'PUT',
      token: intruder.admin,
      json: { primary_personality_id: created.body.id },
    });

    expect([read.status, change.status, remove.status]).toEqual([404, 404, 404]);
    expect(list.body.personalities.map((p: { id: string }) => p.id)).not.toContain(created.body.id);
    expect(asPrimary.status).toBe(400);
    expect(await tenantItems(intruder.tenantId)).toEqual([]);
    const mine = await call(path, { token: tenant.admin });
    expect(mine.body).toMatchObject({ name: 'Private', version: 1 });
  });

  it('ignores a tenant id offered in the query string', async () => {
    const created = await call(BASE, { token: tenant.admin, json: { name: 'Private' } });
    const intruder = await freshTenant();

    const response = await call(`${BASE}/${created.body.id}?tenant_id=${tenant.tenantId}`, {
      token: intruder.admin,
    });

    expect(response.status).toBe(404);
  });
});

describe('public routes', () => {
  it('answers health without a token', async () => {
    const response = await call('/api/health');

    expect(response.status).toBe(200);
    expect(response.body.status).toBe('ok');
  });

  it('describes every route of the route table in the OpenAPI document', async () => {
    const { routeList } = await import('../../functions/http/routes.ts');

    const response = await call('/api/openapi.json');

    expect(response.status).toBe(200);
    expect(response.body.openapi).toBe('3.1.0');
    for (const route of routeList) {
      const operation = response.body.paths[route.path]?.[route.method.toLowerCase()];
      expect(operation?.operationId, `${route.method} ${route.path}`).toBe(route.id);
    }
    expect(response.body.components.schemas.Personality.properties.traits).toBeDefined();
  });
});
