// Who is calling: tenant id and role from a verified JWT (Cognito in AWS, the local issuer on the local stack).
import { createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTPayload } from 'jose';
import { config } from '../config.ts';
import { AppError, ForbiddenError, UnauthorizedError } from './errors.ts';
import type { Access } from './routes.ts';

/** Claim names as Cognito writes them; the local issuer mints the same ones. */
export const TENANT_CLAIM = 'custom:tenant_id';
export const GROUPS_CLAIM = 'cognito:groups';
export const ADMIN_GROUP = 'admin';
export const TOKEN_ALGORITHM = 'RS256';

export const TENANT_ID_PATTERN = /^[a-z0-9][a-z0-9-]{1,62}$/;

export type Role = 'admin' | 'member';

export interface AuthContext {
  tenantId: string;
  role: Role;
  /** The token's subject: the user who called. */
  subject: string;
}

let jwks: ReturnType<typeof createRemoteJWKSet> | undefined;

function keySet() {
  // Created once per cold start: jose caches the fetched keys and refetches only for an unknown key id.
  jwks ??= createRemoteJWKSet(new URL(config().auth.jwksUrl), {
    timeoutDuration: 3000,
    cooldownDuration: 30_000,
  });
  return jwks;
}

function bearerToken(authorization: string | undefined): string {
  if (!authorization) {
    throw new UnauthorizedError('unauthorized', 'Missing credentials: send "Authorization: Bearer <token>".');
  }
  const match = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
  if (!match?.[1]) {
    throw new UnauthorizedError('unauthorized', 'The Authorization header must be "Bearer <token>".');
  }
  return match[1];
}

function audienceMatches(payload: JWTPayload, audience: string | undefined): boolean {
  if (!audience) return true;
  // Cognito ID tokens carry the app client in `aud`, access tokens in `client_id`.
  const aud = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
  return aud.includes(audience) || payload['client_id'] === audience;
}

async function verify(token: string): Promise<JWTPayload> {
  const { issuer, audience } = config().auth;
  try {
    const { payload } = await jwtVerify(token, keySet(), { issuer, algorithms: [TOKEN_ALGORITHM] });
    if (!audienceMatches(payload, audience)) {
      throw new UnauthorizedError('invalid_token', 'The token was issued for another application.');
    }
    return payload;
  } catch (error) {
    if (error instanceof AppError) throw error;
    if (error instanceof joseErrors.JWTExpired) {
      throw new UnauthorizedError('token_expired', 'The token has expired: sign in again or mint a new one.');
    }
    if (error instanceof joseErrors.JWKSTimeout) {
      throw new AppError(
        503,
        'auth_unavailable',
        'The token issuer could not be reached; try again shortly.',
      );
    }
    if (error instanceof joseErrors.JOSEError) {
      throw new UnauthorizedError(
        'invalid_token',
        'The token is not valid: it is malformed, or not signed by the trusted issuer.',
      );
    }
    throw error;
  }
}

function contextFrom(payload: JWTPayload): AuthContext {
  const tenantId = payload[TENANT_CLAIM];
  if (typeof tenantId !== 'string' || !TENANT_ID_PATTERN.test(tenantId)) {
    throw new UnauthorizedError('invalid_token', `The token carries no valid ${TENANT_CLAIM} claim.`);
  }
  const groups = payload[GROUPS_CLAIM];
  const isAdmin = Array.isArray(groups) && groups.includes(ADMIN_GROUP);
  return { tenantId, role: isAdmin ? 'admin' : 'member', subject: payload.sub ?? 'unknown' };
}

/** Verifies the caller's token and checks the route's access rule; public routes need no token. */
export async function authenticate(
  authorization: string | undefined,
  access: Access,
): Promise<AuthContext | undefined> {
  if (access === 'public') return undefined;
  const auth = contextFrom(await verify(bearerToken(authorization)));
  if (access === 'admin' && auth.role !== 'admin') {
    throw new ForbiddenError('This route needs a tenant admin; your token has the member role.');
  }
  return auth;
}
