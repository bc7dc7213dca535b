// Who is calling: a tenant API key, or a verified JWT (Cognito in AWS, the local issuer on the local stack).
import { createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTPayload } from 'jose';
import { config } from '../config.ts';
import { AppError, BadRequestError, ForbiddenError, UnauthorizedError } from './errors.ts';
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
  /** Who called: the token's subject, or `api-key:<id>` for a tenant app. */
  subject: string;
  via: 'token' | 'api_key';
  /** The API key's id, when the call came with one. */
  keyId?: string;
}

/** Request headers with lower-cased names, as API Gateway v2 delivers them. */
export type RequestHeaders = Readonly<Record<string, string | undefined>>;

export const API_KEY_HEADER = 'x-api-key';

// The key store is loaded with the first keyed request, not with this module: the local issuer imports the claim
// names above before the local stack has configured logging, and the store brings the logger with it.
const apiKeyStore = () => import('../api-keys/api-keys.ts');
const rateLimits = () => import('../api-keys/rate-limit.ts');

let jwks: ReturnType<typeof createRemoteJWKSet> | undefined;

function keySet() {
  // Created once per cold start: jose caches the fetched keys and refetches only for an unknown key id.
  jwks ??= createRemoteJWKSet(new URL(config().auth.jwksUrl), {
    timeoutDuration: 3000,
    cooldownDuration: 30_000,
  });
  return jwks;
}

function bearerToken(authorization: string | undefined, access: Exclude<Access, 'public'>): string {
  if (!authorization) {
    throw new UnauthorizedError(
      'unauthorized',
      access === 'tenant'
        ? 'Missing credentials: send an API key as "x-api-key: <key>" or a token as "Authorization: Bearer <token>".'
        : 'Missing credentials: send "Authorization: Bearer <token>".',
    );
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
  return { tenantId, role: isAdmin ? 'admin' : 'member', subject: payload.sub ?? 'unknown', via: 'token' };
}

/**
 * Who the credentials name, checked against the route's access rule, without spending a request token: the
 * handlers (through `authenticate`) and the Lambda authorizer share it, so both accept exactly the same callers.
 *
 * Rules: an API key never opens an admin route; a request may not carry both an API key and a token (which one
 * would speak for it?); an API key acts as a member of its tenant; a token must be signed by the trusted issuer
 * (RS256 only), for this app, unexpired, and carry a tenant; admin routes need the token's admin group.
 */
export async function identifyCaller(
  headers: RequestHeaders,
  access: Exclude<Access, 'public'>,
): Promise<AuthContext> {
  const apiKey = headers[API_KEY_HEADER];
  const authorization = headers['authorization'];
  if (apiKey !== undefined && access === 'admin') {
    throw new AppError(
      403,
      'api_key_not_allowed',
      "API keys call the consumer routes; admin routes need a tenant admin's sign-in token.",
    );
  }
  if (apiKey !== undefined && authorization !== undefined) {
    throw new BadRequestError(
      'ambiguous_credentials',
      'Send either an API key (x-api-key) or a token (Authorization), not both.',
    );
  }
  if (apiKey !== undefined) {
    const key = await (await apiKeyStore()).verifyApiKey(apiKey);
    return {
      tenantId: key.tenantId,
      role: 'member',
      subject: `api-key:${key.keyId}`,
      via: 'api_key',
      keyId: key.keyId,
    };
  }
  const auth = contextFrom(await verify(bearerToken(authorization, access)));
  if (access === 'admin' && auth.role !== 'admin') {
    throw new ForbiddenError('This route needs a tenant admin; your token has the member role.');
  }
  return auth;
}

/**
 * Verifies the caller and checks the route's access rule; public routes need no credentials. A call with an API
 * key also spends one of the key's tokens: past the plan's requests a minute it is refused with 429.
 */
export async function authenticate(
  headers: RequestHeaders,
  access: Access,
): Promise<AuthContext | undefined> {
  if (access === 'public') return undefined;
  const auth = await identifyCaller(headers, access);
  if (auth.via === 'api_key' && auth.keyId) {
    await (await rateLimits()).spendRequestToken(auth.tenantId, auth.keyId);
  }
  return auth;
}
