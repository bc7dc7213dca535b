// The local gateway's console endpoints: /config.json, the local sign-in, and the console never shadowing the API.
import { describe, expect, it } from 'vitest';
import { call } from './support.ts';

describe('local console endpoints', () => {
  it('serves the local console settings', async () => {
    const answer = await call('/config.json');
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ apiUrl: '', auth: { mode: 'local' } });
  });

  it('signs in as a tenant and role with a short-lived token the API accepts', async () => {
    const tenant = `console-${Date.now().toString(36)}`;
    const signIn = await call(`/local-auth/token?tenant=${tenant}&role=admin`);
    expect(signIn.status).toBe(200);
    expect(signIn.headers.get('cache-control')).toBe('no-store');
    expect(signIn.body).toMatchObject({ tenant_id: tenant, role: 'admin', expires_in: 3600 });
    const claims = JSON.parse(Buffer.from(signIn.body.token.split('.')[1], 'base64url').toString());
    expect(claims.exp - claims.iat).toBe(3600);

    const list = await call('/api/admin/ai-personalities', { token: signIn.body.token });
    expect(list.status).toBe(200);
    expect(list.body.personalities.map((p: { id: string }) => p.id)).toContain('marcel');

    const member = await call(`/local-auth/token?tenant=${tenant}&role=member`);
    const refused = await call('/api/admin/ai-personalities', { token: member.body.token });
    expect(refused.status).toBe(403);
  });

  it('refuses a bad tenant id or role with 400', async () => {
    const badTenant = await call('/local-auth/token?tenant=Not_A_Tenant&role=admin');
    expect(badTenant.status).toBe(400);
    expect(badTenant.body.error.code).toBe('invalid_tenant');
    const badRole = await call('/local-auth/token?tenant=demo&role=owner');
    expect(badRole.status).toBe(400);
    expect(badRole.body.error.code).toBe('invalid_role');
  });

  it('answers unknown API paths as the API does, never with the console', async () => {
    const answer = await call('/api/no-such-route');
    expect(answer.status).toBe(404);
    expect(answer.headers.get('content-type')).toContain('application/json');
  });

  it('answers console routes with the page (or, unbuilt, how to build it)', async () => {
    const answer = await call('/personalities/new');
    expect([200, 503]).toContain(answer.status);
    expect(answer.headers.get('content-type')).toMatch(/^text\/(html|plain)/);
    expect(String(answer.body)).toMatch(answer.status === 200 ? /<div id="root">/ : /npm run build/);
  });
});
