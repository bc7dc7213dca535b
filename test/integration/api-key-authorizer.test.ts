// The HTTP API's Lambda authorizer invoked directly in this process, against the local stack's table and issuer:
// it lets in what the handlers let in on consumer routes, and refuses without throwing.
import type { APIGatewayRequestAuthorizerEventV2 } from 'aws-lambda';
import { generateKeyPair, SignJWT } from 'jose';
import { beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { JWKS_PATH, LOCAL_AUDIENCE, LOCAL_ISSUER } from '../../local/issuer.ts';
import { LOCAL_RESOURCES } from '../../local/stack.ts';
import { call, freshTenant, tenantItems, token } from './support.ts';

const KEYS = '/api/admin/api-keys';

let tenant: Awaited<ReturnType<typeof freshTenant>>;

beforeEach(async () => {
  tenant = await freshTenant();
});

async function createKey() {
  const response = await call(KEYS, { token: tenant.admin, json: { name: 'kiosk' } });
  expect(response.status).toBe(201);
  return response.body as { id: string; api_key: string };
}

describe('the Lambda authorizer', () => {
  type Authorizer = typeof import('../../functions/api-keys/handlers/authorizer.ts');
  let authorize: Authorizer['handler'];

  beforeAll(async () => {
    Object.assign(process.env, {
      TABLE_NAME: LOCAL_RESOURCES.tableName,
      SAMPLES_BUCKET: LOCAL_RESOURCES.samplesBucket,
      AUDIO_BUCKET: LOCAL_RESOURCES.audioBucket,
      AWS_REGION: LOCAL_RESOURCES.region,
      DYNAMODB_ENDPOINT: inject('dynamodbEndpoint'),
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AUTH_ISSUER: LOCAL_ISSUER,
      AUTH_JWKS_URL: `${inject('stackUrl')}${JWKS_PATH}`,
      AUTH_AUDIENCE: LOCAL_AUDIENCE,
      POWERTOOLS_LOG_LEVEL: 'SILENT',
    });
    ({ handler: authorize } = await import('../../functions/api-keys/handlers/authorizer.ts'));
  });

  const request = (headers: Record<string, string>) =>
    ({
      version: '2.0',
      type: 'REQUEST',
      routeArn: 'arn:aws:execute-api:us-east-1:123456789012:api/$default/POST/api/chat',
      identitySource: [],
      routeKey: 'POST /api/chat',
      rawPath: '/api/chat',
      rawQueryString: '',
      cookies: [],
      headers,
      requestContext: {} as APIGatewayRequestAuthorizerEventV2['requestContext'],
    }) satisfies APIGatewayRequestAuthorizerEventV2;

  it('allows a valid key as a member of its tenant, without spending a request token', async () => {
    const key = await createKey();

    const result = await authorize(request({ 'x-api-key': key.api_key }));

    expect(result).toEqual({
      isAuthorized: true,
      context: { tenantId: tenant.tenantId, role: 'member', via: 'api_key' },
    });
    const items = await tenantItems(tenant.tenantId);
    expect(items.some((item) => item.sk === `RATE#${key.id}`)).toBe(false);
  });

  it('allows a valid token with its role', async () => {
    const member = await authorize(request({ authorization: `Bearer ${tenant.member}` }));
    const admin = await authorize(request({ Authorization: `Bearer ${tenant.admin}` }));

    expect(member).toEqual({
      isAuthorized: true,
      context: { tenantId: tenant.tenantId, role: 'member', via: 'token' },
    });
    expect(admin).toEqual({
      isAuthorized: true,
      context: { tenantId: tenant.tenantId, role: 'admin', via: 'token' },
    });
  });

  it('refuses a revoked key, a forged or expired token, both at once, and no credentials', async () => {
    const key = await createKey();
    await call(`${KEYS}/${key.id}`, { method: 'DELETE', token: tenant.admin });
    const { privateKey } = await generateKeyPair('RS256');
    const forged = await new SignJWT({ 'custom:tenant_id': tenant.tenantId, 'cognito:groups': ['admin'] })
      .setProtectedHeader({ alg: 'RS256', kid: 'forged' })
      .setIssuer(LOCAL_ISSUER)
      .setAudience(LOCAL_AUDIENCE)
      .setSubject('intruder')
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(privateKey);
    const expired = await token({ tenantId: tenant.tenantId, role: 'member', ttlSeconds: -60 });
    const live = await createKey();

    const results = await Promise.all([
      authorize(request({ 'x-api-key': key.api_key })),
      authorize(request({ authorization: `Bearer ${forged}` })),
      authorize(request({ authorization: `Bearer ${expired}` })),
      authorize(request({ 'x-api-key': live.api_key, authorization: `Bearer ${tenant.member}` })),
      authorize(request({})),
    ]);

    expect(results).toEqual(Array.from({ length: 5 }, () => ({ isAuthorized: false })));
  });
});
