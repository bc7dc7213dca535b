// Tenant isolation, route by route: with tenant B's admin token, member token and API key, every route of the route
// table is aimed at tenant A's resources; each answers 404 or 403, hands out no link to A's objects, and A is unchanged.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { generateKeyPair, importJWK, SignJWT, type JWK } from 'jose';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { routeList, type RouteId } from '../../functions/http/routes.ts';
import { objectKeys } from '../../functions/store/objects.ts';
import { LOCAL_AUDIENCE, LOCAL_ISSUER } from '../../local/issuer.ts';
import { LOCAL_RESOURCES } from '../../local/stack.ts';
import { call, freshTenant, tableClient, type ApiResponse } from './support.ts';

interface TenantFixture {
  tenantId: string;
  admin: string;
  member: string;
  apiKey: string;
  apiKeyId: string;
}

interface TenantA extends TenantFixture {
  personalityId: string;
  sampleId: string;
  conversationId: string;
}

interface Probe {
  method: string;
  path: string;
  json?: unknown;
}

/**
 * How a route is aimed at tenant A:
 * - `public`: carries no tenant data; any caller gets the same answer.
 * - `foreign`: names A's resources; the caller must get 404 (or 403 where the credential may not call the route).
 * - `own`: names nothing; it acts in the caller's own tenant and must show nothing of A's.
 */
type MatrixEntry =
  | { kind: 'public'; probe: Probe }
  | { kind: 'foreign'; probes: (a: TenantA) => Probe[]; alsoAccept?: number[] }
  | { kind: 'own'; probe: Probe; alsoAccept?: number[] };

const consent = {
  speaker_name: 'Someone Else',
  statement: 'The speaker agreed in writing to have their voice cloned for this shop.',
  attested_by: 'Tenant B admin',
};
const personalityPath = (a: TenantA) => `/api/admin/ai-personalities/${a.personalityId}`;

/** Every route must be here: a route added to the table without an entry fails the first test. */
const matrix: Record<RouteId, MatrixEntry> = {
  health: { kind: 'public', probe: { method: 'GET', path: '/api/health' } },
  openapi: { kind: 'public', probe: { method: 'GET', path: '/api/openapi.json' } },
  listPersonalities: { kind: 'own', probe: { method: 'GET', path: '/api/admin/ai-personalities' } },
  createPersonality: {
    kind: 'own',
    probe: { method: 'POST', path: '/api/admin/ai-personalities', json: { name: 'Tenant B bot' } },
  },
  getPersonality: { kind: 'foreign', probes: (a) => [{ method: 'GET', path: personalityPath(a) }] },
  updatePersonality: {
    kind: 'foreign',
    probes: (a) => [{ method: 'PUT', path: personalityPath(a), json: { name: 'Taken over', version: 1 } }],
  },
  deletePersonality: { kind: 'foreign', probes: (a) => [{ method: 'DELETE', path: personalityPath(a) }] },
  getTenantSettings: { kind: 'own', probe: { method: 'GET', path: '/api/admin/tenant/settings' } },
  updateTenantSettings: {
    kind: 'own',
    probe: { method: 'PUT', path: '/api/admin/tenant/settings', json: { sample_retention_days: 3 } },
  },
  listActivePersonalities: { kind: 'own', probe: { method: 'GET', path: '/api/personalities' } },
  generateSpeech: {
    kind: 'foreign',
    probes: (a) => [
      { method: 'POST', path: `${personalityPath(a)}/voice/generate`, json: { text: 'Hello.' } },
    ],
  },
  getVoiceSample: {
    kind: 'foreign',
    probes: (a) => [{ method: 'GET', path: `${personalityPath(a)}/voice/sample` }],
  },
  updateVoiceSettings: {
    kind: 'foreign',
    probes: (a) => [
      { method: 'PUT', path: `${personalityPath(a)}/voice/settings`, json: { settings: { speed: 1.1 } } },
    ],
  },
  getPronunciations: {
    kind: 'foreign',
    probes: (a) => [{ method: 'GET', path: `${personalityPath(a)}/voice/pronunciations` }],
  },
  putPronunciations: {
    kind: 'foreign',
    probes: (a) => [
      {
        method: 'PUT',
        path: `${personalityPath(a)}/voice/pronunciations`,
        json: { entries: [{ grapheme: 'THC', alias: 'tee aitch see' }] },
      },
    ],
  },
  getTenantPronunciations: { kind: 'own', probe: { method: 'GET', path: '/api/admin/voice/pronunciations' } },
  putTenantPronunciations: {
    kind: 'own',
    probe: {
      method: 'PUT',
      path: '/api/admin/voice/pronunciations',
      json: { entries: [{ grapheme: 'CBD', alias: 'see bee dee' }] },
    },
  },
  listVoiceProviders: { kind: 'own', probe: { method: 'GET', path: '/api/admin/voice/providers' } },
  uploadVoiceSamples: {
    kind: 'foreign',
    probes: (a) => [
      {
        method: 'POST',
        path: `${personalityPath(a)}/voice/upload`,
        json: { files: [{ name: 'take.wav', content_type: 'audio/wav', size: 48_000 }] },
      },
    ],
  },
  listVoiceSamples: {
    kind: 'foreign',
    probes: (a) => [{ method: 'GET', path: `${personalityPath(a)}/voice/samples` }],
  },
  getUploadedSample: {
    kind: 'foreign',
    probes: (a) => [
      { method: 'GET', path: `${personalityPath(a)}/voice/samples/${a.sampleId}` },
      // A's sample under a personality B does have.
      { method: 'GET', path: `/api/admin/ai-personalities/marcel/voice/samples/${a.sampleId}` },
    ],
  },
  deleteUploadedSample: {
    kind: 'foreign',
    probes: (a) => [
      { method: 'DELETE', path: `${personalityPath(a)}/voice/samples/${a.sampleId}` },
      { method: 'DELETE', path: `/api/admin/ai-personalities/marcel/voice/samples/${a.sampleId}` },
    ],
  },
  trainVoice: {
    kind: 'foreign',
    probes: (a) => [
      {
        method: 'POST',
        path: `${personalityPath(a)}/voice/train`,
        json: { sample_ids: [a.sampleId], consent },
      },
      // B's own personality trained from A's recording: the sample is not B's to use.
      {
        method: 'POST',
        path: '/api/admin/ai-personalities/marcel/voice/train',
        json: { sample_ids: [a.sampleId], consent },
      },
    ],
    // Naming a sample that does not exist in the tenant is a bad request, as long as nothing happens.
    alsoAccept: [400],
  },
  getVoiceStatus: {
    kind: 'foreign',
    probes: (a) => [{ method: 'GET', path: `${personalityPath(a)}/voice/status` }],
  },
  deleteCustomVoice: {
    kind: 'foreign',
    probes: (a) => [{ method: 'DELETE', path: `${personalityPath(a)}/voice` }],
  },
  chat: {
    kind: 'foreign',
    probes: (a) => [
      { method: 'POST', path: '/api/chat', json: { message: 'Hi', conversation_id: a.conversationId } },
      { method: 'POST', path: '/api/chat', json: { message: 'Hi', personality_id: a.personalityId } },
    ],
  },
  chatStream: {
    kind: 'foreign',
    probes: (a) => [
      {
        method: 'POST',
        path: '/api/chat/stream',
        json: { message: 'Hi', conversation_id: a.conversationId },
      },
      { method: 'POST', path: '/api/chat/stream', json: { message: 'Hi', personality_id: a.personalityId } },
    ],
  },
  getConversation: {
    kind: 'foreign',
    probes: (a) => [{ method: 'GET', path: `/api/conversations/${a.conversationId}` }],
  },
  getVoiceUsage: {
    kind: 'own',
    probe: { method: 'GET', path: '/api/admin/voice/usage?group_by=personality' },
  },
  listApiKeys: { kind: 'own', probe: { method: 'GET', path: '/api/admin/api-keys' } },
  createApiKey: {
    kind: 'own',
    probe: { method: 'POST', path: '/api/admin/api-keys', json: { name: 'B probe' } },
  },
  revokeApiKey: {
    kind: 'foreign',
    probes: (a) => [{ method: 'DELETE', path: `/api/admin/api-keys/${a.apiKeyId}` }],
  },
  rotateWebhookSecret: { kind: 'own', probe: { method: 'POST', path: '/api/admin/webhooks/secret' } },
  listWebhookDeliveries: { kind: 'own', probe: { method: 'GET', path: '/api/admin/webhooks/deliveries' } },
  // B has set no webhook URL: a clear 409, and nothing sent anywhere.
  sendTestWebhook: {
    kind: 'own',
    probe: { method: 'POST', path: '/api/admin/webhooks/test' },
    alsoAccept: [409],
  },
};

type Credential = 'admin' | 'member' | 'apiKey';

function credentialHeaders(tenant: TenantFixture, credential: Credential): Record<string, string> {
  if (credential === 'apiKey') return { 'x-api-key': tenant.apiKey };
  return { authorization: `Bearer ${tenant[credential]}` };
}

async function send(probe: Probe, headers: Record<string, string>): Promise<ApiResponse<any>> {
  return call(probe.path, {
    method: probe.method,
    headers,
    ...(probe.json === undefined ? {} : { json: probe.json }),
  });
}

async function withApiKey(tenant: Omit<TenantFixture, 'apiKey' | 'apiKeyId'>): Promise<TenantFixture> {
  const created = await call('/api/admin/api-keys', {
    token: tenant.admin,
    json: { name: `${tenant.tenantId} app` },
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return { ...tenant, apiKey: created.body.api_key, apiKeyId: created.body.id };
}

/** Every item of a tenant in the table, and every object of it in both buckets: what B must not change. */
async function tenantState(tenantId: string) {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await tableClient().send(
      new ScanCommand({
        TableName: LOCAL_RESOURCES.tableName,
        FilterExpression: 'begins_with(pk, :own) OR tenant_id = :tenant',
        ExpressionAttributeValues: { ':own': `TENANT#${tenantId}#`, ':tenant': tenantId },
        ExclusiveStartKey: start,
        ConsistentRead: true,
      }),
    );
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  const { Items: profileItems } = await tableClient().send(
    new ScanCommand({
      TableName: LOCAL_RESOURCES.tableName,
      FilterExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': `TENANT#${tenantId}` },
      ConsistentRead: true,
    }),
  );
  items.push(...(profileItems ?? []));
  const s3 = new S3Client({
    endpoint: inject('s3Endpoint'),
    region: LOCAL_RESOURCES.region,
    forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  });
  const objects: string[] = [];
  for (const [bucket, prefix] of [
    [LOCAL_RESOURCES.samplesBucket, objectKeys.tenantPrefix('samples', tenantId)],
    [LOCAL_RESOURCES.audioBucket, objectKeys.tenantPrefix('cache', tenantId)],
  ] as const) {
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }));
    objects.push(
      ...(listed.Contents ?? [])
        .map((object) => `${bucket}/${object.Key}`)
        .filter((key) => key.includes(`/${tenantId}/`)),
    );
  }
  const key = (item: Record<string, unknown>) => `${String(item.pk)}|${String(item.sk)}`;
  return {
    items: [...new Map(items.map((item) => [key(item), item])).values()].sort((x, y) =>
      key(x).localeCompare(key(y)),
    ),
    objects: objects.sort(),
  };
}

/** Presigned links and upload keys in an answer: each must point into the caller's own tenant. */
function objectReferences(body: unknown): string[] {
  const text = typeof body === 'string' ? body : JSON.stringify(body ?? '');
  const links = [...text.matchAll(/https?:\/\/[^"\s]+X-Amz-Signature[^"\s]*/g)].map((match) =>
    decodeURIComponent(match[0]),
  );
  const keys = [...text.matchAll(/"key":"([^"]+)"/g)].map((match) => match[1]!);
  return [...links, ...keys];
}

/** What only tenant A's own data holds; a 404 may echo the id the caller sent, never these. */
const SECRET_NAME = `Hidden ${randomUUID().slice(0, 8)}`;
const SECRET_PROMPT = 'Only for the eyes of tenant A.';

let a: TenantA;
let b: TenantFixture;
let before: Awaited<ReturnType<typeof tenantState>>;
const answersToB: Array<{ route: RouteId; credential: Credential; response: ApiResponse }> = [];

beforeAll(async () => {
  const tenantA = await withApiKey(await freshTenant());
  b = await withApiKey(await freshTenant());
  const created = await call('/api/admin/ai-personalities', {
    token: tenantA.admin,
    json: {
      name: SECRET_NAME,
      system_prompt: SECRET_PROMPT,
      voice_config: { provider: 'local', voice_id: 'en-us' },
    },
  });
  expect(created.status).toBe(201);
  const personalityId = created.body.id as string;
  const upload = await call(`/api/admin/ai-personalities/${personalityId}/voice/upload`, {
    token: tenantA.admin,
    json: { files: [{ name: 'a-take.wav', content_type: 'audio/wav', size: 96_000 }] },
  });
  expect(upload.status, JSON.stringify(upload.body)).toBe(201);
  const chat = await call('/api/chat', {
    headers: { 'x-api-key': tenantA.apiKey },
    json: { message: 'What do you recommend for sleep?', personality_id: personalityId },
  });
  expect(chat.status, JSON.stringify(chat.body)).toBe(200);
  expect(chat.body.audio_url).toBeTruthy();
  await call('/api/admin/tenant/settings', {
    token: tenantA.admin,
    json: { primary_personality_id: personalityId },
    method: 'PUT',
  });
  a = {
    ...tenantA,
    personalityId,
    sampleId: upload.body.samples[0].sample_id ?? upload.body.samples[0].id,
    conversationId: chat.body.conversation_id,
  };
  before = await tenantState(a.tenantId);
  expect(before.items.length).toBeGreaterThan(5);
  expect(before.objects.length).toBeGreaterThan(0);
}, 120_000);

describe('tenant isolation matrix', () => {
  it('has an entry for every route of the route table, and no entry for a route that is gone', () => {
    const routeIds = routeList.map((route) => route.id).sort();
    expect(Object.keys(matrix).sort()).toEqual(routeIds);
  });

  for (const route of routeList) {
    const entry = matrix[route.id];
    for (const credential of ['admin', 'member', 'apiKey'] as const) {
      const refused = route.access === 'admin' && credential !== 'admin';
      const expected =
        entry.kind === 'public'
          ? 'answers as for anyone'
          : refused
            ? `refuses with 403`
            : entry.kind === 'foreign'
              ? 'answers 404'
              : 'shows only B’s own data';
      it(`${route.method} ${route.path} with B's ${credential}: ${expected}`, async () => {
        const headers = credentialHeaders(b, credential);
        const probes = entry.kind === 'foreign' ? entry.probes(a) : [entry.probe];
        for (const probe of probes) {
          const response = await send(probe, headers);
          answersToB.push({ route: route.id, credential, response });
          const shown = JSON.stringify(response.body ?? '');
          for (const secret of [a.tenantId, SECRET_NAME, SECRET_PROMPT, a.apiKey]) {
            expect(shown).not.toContain(secret);
          }
          if (response.status < 300) {
            for (const id of [a.personalityId, a.conversationId, a.sampleId, a.apiKeyId]) {
              expect(shown).not.toContain(id);
            }
          }
          if (entry.kind === 'public') {
            expect(response.status).toBe(200);
          } else if (refused) {
            expect(response.status, shown).toBe(403);
            expect(response.body.error.code).toMatch(/forbidden|api_key_not_allowed/);
          } else if (entry.kind === 'foreign') {
            expect([404, ...(entry.alsoAccept ?? [])], `${probe.method} ${probe.path}: ${shown}`).toContain(
              response.status,
            );
          } else if (!entry.alsoAccept?.includes(response.status)) {
            expect(response.status, shown).toBeLessThan(300);
          }
        }
      });
    }
  }

  it('issued B no link to any object of A, and every link B got points into B', () => {
    expect(answersToB.length).toBeGreaterThan(routeList.length);
    for (const { route, response } of answersToB) {
      for (const reference of objectReferences(response.body)) {
        expect(reference, route).not.toContain(`/${a.tenantId}/`);
        expect(reference, route).toContain(`/${b.tenantId}/`);
      }
    }
  });

  it('left every item and object of A exactly as it was, and A’s key still works', async () => {
    const after = await tenantState(a.tenantId);
    expect(after.objects).toEqual(before.objects);
    expect(after.items).toEqual(before.items);
    const stillWorks = await call('/api/personalities', { headers: { 'x-api-key': a.apiKey } });
    expect(stillWorks.status).toBe(200);
    expect(JSON.stringify(stillWorks.body)).toContain(a.personalityId);
  });
});

describe('credentials that are not what they claim', () => {
  const targets = [
    { name: 'an admin route', method: 'GET', path: '/api/admin/ai-personalities' },
    { name: 'a consumer route', method: 'GET', path: '/api/personalities' },
    { name: 'the streaming route', method: 'POST', path: '/api/chat/stream', json: { message: 'Hi' } },
  ];

  async function issuerKey(): Promise<{ kid: string; key: Awaited<ReturnType<typeof importJWK>> }> {
    const stored = JSON.parse(readFileSync(inject('issuerKeyFile'), 'utf8')) as {
      kid: string;
      privateJwk: JWK;
    };
    return { kid: stored.kid, key: await importJWK(stored.privateJwk, 'RS256') };
  }

  function claims(tenantId: string) {
    return { 'custom:tenant_id': tenantId, 'cognito:groups': ['admin'], token_use: 'id' };
  }

  const tokens: Record<string, () => Promise<string>> = {
    expired: async () => {
      const { kid, key } = await issuerKey();
      return new SignJWT(claims(b.tenantId))
        .setProtectedHeader({ alg: 'RS256', kid })
        .setIssuer(LOCAL_ISSUER)
        .setAudience(LOCAL_AUDIENCE)
        .setSubject('someone')
        .setIssuedAt(Math.floor(Date.now() / 1000) - 7200)
        .setExpirationTime(Math.floor(Date.now() / 1000) - 3600)
        .sign(key);
    },
    forged: async () => {
      const { kid } = await issuerKey();
      const { privateKey } = await generateKeyPair('RS256');
      return new SignJWT(claims(b.tenantId))
        .setProtectedHeader({ alg: 'RS256', kid })
        .setIssuer(LOCAL_ISSUER)
        .setAudience(LOCAL_AUDIENCE)
        .setSubject('someone')
        .setIssuedAt()
        .setExpirationTime('1h')
        .sign(privateKey);
    },
    'alg none': async () => {
      const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
      const now = Math.floor(Date.now() / 1000);
      return `${encode({ alg: 'none', typ: 'JWT' })}.${encode({
        ...claims(b.tenantId),
        iss: LOCAL_ISSUER,
        aud: LOCAL_AUDIENCE,
        sub: 'someone',
        iat: now,
        exp: now + 3600,
      })}.`;
    },
    'wrong audience': async () => {
      const { kid, key } = await issuerKey();
      return new SignJWT(claims(b.tenantId))
        .setProtectedHeader({ alg: 'RS256', kid })
        .setIssuer(LOCAL_ISSUER)
        .setAudience('some-other-app')
        .setSubject('someone')
        .setIssuedAt()
        .setExpirationTime('1h')
        .sign(key);
    },
    'wrong issuer': async () => {
      const { kid, key } = await issuerKey();
      return new SignJWT(claims(b.tenantId))
        .setProtectedHeader({ alg: 'RS256', kid })
        .setIssuer('https://cognito-idp.us-east-1.amazonaws.com/us-east-1_other')
        .setAudience(LOCAL_AUDIENCE)
        .setSubject('someone')
        .setIssuedAt()
        .setExpirationTime('1h')
        .sign(key);
    },
  };

  for (const [kind, mint] of Object.entries(tokens)) {
    it(`refuses a token that is ${kind} with 401 on every kind of route`, async () => {
      const bad = await mint();
      for (const target of targets) {
        const response = await call(target.path, {
          method: target.method,
          token: bad,
          ...(target.json ? { json: target.json } : {}),
        });
        expect(response.status, `${target.name}: ${JSON.stringify(response.body)}`).toBe(401);
        expect(response.body.error.code).toMatch(/invalid_token|token_expired/);
      }
    });
  }

  it('refuses a made-up, a malformed and a revoked API key with 401', async () => {
    const revoked = await call('/api/admin/api-keys', { token: b.admin, json: { name: 'to revoke' } });
    expect(revoked.status).toBe(201);
    expect(
      (await call(`/api/admin/api-keys/${revoked.body.id}`, { method: 'DELETE', token: b.admin })).status,
    ).toBe(204);
    const made = `vap_${Buffer.alloc(32, 7).toString('base64url')}`;
    for (const key of [made, 'not-a-key', revoked.body.api_key as string]) {
      for (const target of targets.slice(1)) {
        const response = await call(target.path, {
          method: target.method,
          headers: { 'x-api-key': key },
          ...(target.json ? { json: target.json } : {}),
        });
        expect(response.status, `${target.name} with ${key.slice(0, 8)}…`).toBe(401);
      }
    }
  });
});
