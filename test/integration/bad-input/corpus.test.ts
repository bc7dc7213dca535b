// The hand-written corpus of bad requests, sent one by one, each in a tenant of its own: every one is answered with
// its own status and error code, and the tenant has stored nothing more afterwards than before.
import { readFile } from 'node:fs/promises';
import { generateKeyPair, importJWK, SignJWT, type JWK } from 'jose';
import { describe, expect, inject, it } from 'vitest';
import { GROUPS_CLAIM, TENANT_CLAIM } from '../../../functions/http/auth.ts';
import { LOCAL_AUDIENCE, LOCAL_ISSUER } from '../../../local/issuer.ts';
import { call, freshTenant, token } from '../support.ts';
import { CORPUS, type BadRequest, type CorpusCredential } from './corpus.ts';
import {
  conversationsOf,
  describeRequest,
  expectRefusal,
  send,
  storedFor,
  type SentRequest,
} from './support.ts';

type Tenant = Awaited<ReturnType<typeof freshTenant>>;

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

function claims(tenantId: string | undefined) {
  return {
    ...(tenantId ? { [TENANT_CLAIM]: tenantId } : {}),
    [GROUPS_CLAIM]: ['admin'],
    token_use: 'id',
  };
}

async function signed(
  tenantId: string | undefined,
  key: { kid: string; privateJwk: JWK } | 'foreign',
): Promise<string> {
  const { kid, privateKey } =
    key === 'foreign'
      ? { kid: 'not-a-trusted-key', privateKey: (await generateKeyPair('RS256')).privateKey }
      : { kid: key.kid, privateKey: await importJWK(key.privateJwk, 'RS256') };
  return new SignJWT(claims(tenantId))
    .setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' })
    .setIssuer(LOCAL_ISSUER)
    .setAudience(LOCAL_AUDIENCE)
    .setSubject('someone')
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(privateKey);
}

/** The Authorization header for each kind of caller the corpus names. */
async function authorization(credential: CorpusCredential, tenant: Tenant): Promise<Record<string, string>> {
  const bearer = (value: string) => ({ authorization: `Bearer ${value}` });
  switch (credential) {
    case 'admin':
      return bearer(tenant.admin);
    case 'member':
      return bearer(tenant.member);
    case 'none':
      return {};
    case 'expired':
      return bearer(await token({ tenantId: tenant.tenantId, role: 'admin', ttlSeconds: -120 }));
    case 'foreign':
      return bearer(await signed(tenant.tenantId, 'foreign'));
    case 'unsigned': {
      const now = Math.floor(Date.now() / 1000);
      const payload = { ...claims(tenant.tenantId), iss: LOCAL_ISSUER, aud: LOCAL_AUDIENCE, exp: now + 3600 };
      return bearer(`${base64url({ alg: 'none', typ: 'JWT' })}.${base64url(payload)}.`);
    }
    case 'no-tenant': {
      // Signed with the local issuer's own key: only the missing tenant is wrong with it.
      const key = JSON.parse(await readFile(inject('issuerKeyFile'), 'utf8')) as {
        kid: string;
        privateJwk: JWK;
      };
      return bearer(await signed(undefined, key));
    }
  }
}

async function givenPersonality(tenant: Tenant): Promise<string> {
  const created = await call('/api/admin/ai-personalities', { token: tenant.admin, json: { name: 'Nova' } });
  expect(created.status).toBe(201);
  return created.body.id as string;
}

const tenantsUsed: string[] = [];

describe('the corpus of bad requests', () => {
  it('holds at least 50 requests, each named once', () => {
    expect(CORPUS.length).toBeGreaterThanOrEqual(50);
    expect(new Set(CORPUS.map((entry) => entry.name)).size).toBe(CORPUS.length);
  });

  it.concurrent.each(CORPUS.map((entry) => [entry.name, entry] as const))(
    '%s',
    async (_name, entry: BadRequest) => {
      const tenant = await freshTenant();
      tenantsUsed.push(tenant.tenantId);
      const given = entry.given ? await givenPersonality(tenant) : undefined;
      const sent: SentRequest = {
        method: entry.method,
        path: given ? entry.path.replace('{given}', given) : entry.path,
        headers: { ...(await authorization(entry.credential ?? 'admin', tenant)), ...entry.headers },
        ...(entry.rawBody !== undefined
          ? { rawBody: entry.rawBody }
          : entry.body !== undefined
            ? { json: entry.body }
            : {}),
      };
      const before = await storedFor(tenant.tenantId);

      const response = await send(sent);

      expectRefusal(response, describeRequest(sent), { status: entry.status, code: entry.code });
      expect(await storedFor(tenant.tenantId), describeRequest(sent)).toEqual(before);
    },
  );
});

describe('after the corpus', () => {
  it('no conversation was started by any of its requests', async () => {
    expect(tenantsUsed.length).toBe(CORPUS.length);
    expect(await conversationsOf(tenantsUsed)).toEqual([]);
  });
});
