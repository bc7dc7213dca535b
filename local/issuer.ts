// The local stand-in for Cognito: an RS256 key pair that mints tokens with Cognito's claim names and publishes a JWKS.
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { exportJWK, generateKeyPair, importJWK, SignJWT, type JWK } from 'jose';
import {
  ADMIN_GROUP,
  GROUPS_CLAIM,
  TENANT_CLAIM,
  TENANT_ID_PATTERN,
  TOKEN_ALGORITHM,
  type Role,
} from '../functions/http/auth.ts';

export const LOCAL_ISSUER = 'urn:voice-personalities:local-issuer';
export const LOCAL_AUDIENCE = 'voice-personalities-local';
export const JWKS_PATH = '/local-auth/.well-known/jwks.json';

export interface TokenRequest {
  tenantId: string;
  role: Role;
  subject?: string;
  ttlSeconds?: number;
}

export interface LocalIssuer {
  jwks: { keys: JWK[] };
  mint(request: TokenRequest): Promise<string>;
}

interface StoredKey {
  kid: string;
  privateJwk: JWK;
}

async function newKey(): Promise<StoredKey> {
  const { privateKey } = await generateKeyPair(TOKEN_ALGORITHM, { extractable: true });
  return { kid: randomUUID(), privateJwk: await exportJWK(privateKey) };
}

/**
 * The issuer's key lives in `keyFile` so tokens minted by `npm run token` and by an earlier start stay valid;
 * without a file the key is new and lives only in this process.
 */
export async function loadLocalIssuer(keyFile?: string): Promise<LocalIssuer> {
  let stored: StoredKey;
  if (keyFile && existsSync(keyFile)) {
    stored = JSON.parse(readFileSync(keyFile, 'utf8')) as StoredKey;
  } else {
    stored = await newKey();
    if (keyFile) {
      mkdirSync(dirname(keyFile), { recursive: true });
      writeFileSync(keyFile, JSON.stringify(stored), { mode: 0o600 });
    }
  }
  const privateKey = await importJWK(stored.privateJwk, TOKEN_ALGORITHM);
  const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...publicJwk } = stored.privateJwk;
  const jwks = { keys: [{ ...publicJwk, kid: stored.kid, alg: TOKEN_ALGORITHM, use: 'sig' }] };

  return {
    jwks,
    mint: async ({ tenantId, role, subject, ttlSeconds = 24 * 3600 }) => {
      if (!TENANT_ID_PATTERN.test(tenantId)) {
        throw new Error(
          `Invalid tenant id ${JSON.stringify(tenantId)}: use 2–63 lowercase letters, digits or hyphens.`,
        );
      }
      return new SignJWT({
        [TENANT_CLAIM]: tenantId,
        [GROUPS_CLAIM]: role === 'admin' ? [ADMIN_GROUP] : [],
        token_use: 'id',
      })
        .setProtectedHeader({ alg: TOKEN_ALGORITHM, kid: stored.kid, typ: 'JWT' })
        .setIssuer(LOCAL_ISSUER)
        .setAudience(LOCAL_AUDIENCE)
        .setSubject(subject ?? `local-${role}@${tenantId}`)
        .setIssuedAt()
        .setExpirationTime(Math.floor(Date.now() / 1000) + ttlSeconds)
        .sign(privateKey);
    },
  };
}
