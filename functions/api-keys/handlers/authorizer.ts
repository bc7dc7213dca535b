// The HTTP API's Lambda authorizer for consumer routes: a tenant API key or a JWT, verified by the handlers' own code.
//
// Payload format 2.0 with simple responses. It is configured with no identity sources: a consumer route accepts
// either `x-api-key` or `Authorization`, and an HTTP API answers 401 without calling the authorizer when any
// identity source is missing. Without identity sources API Gateway cannot cache results, so the only cache is the
// in-memory one of `verifyApiKey` (and jose's key set for tokens), per warm container.
// It spends no rate-limit token: the route's handler does that once per request.
import type {
  APIGatewayRequestAuthorizerEventV2,
  APIGatewaySimpleAuthorizerResult,
  APIGatewaySimpleAuthorizerWithContextResult,
} from 'aws-lambda';
import { identifyCaller, type AuthContext } from '../../http/auth.ts';
import { AppError } from '../../http/errors.ts';
import { logger } from '../../powertools.ts';

/** What the route's integration sees as `$context.authorizer.*`. */
export interface AuthorizerContext {
  tenantId: string;
  role: AuthContext['role'];
  via: AuthContext['via'];
}

export type AuthorizerResult =
  APIGatewaySimpleAuthorizerWithContextResult<AuthorizerContext> | APIGatewaySimpleAuthorizerResult;

function lowerCased(
  headers: APIGatewayRequestAuthorizerEventV2['headers'],
): Record<string, string | undefined> {
  return Object.fromEntries(
    Object.entries(headers ?? {}).map(([name, value]) => [name.toLowerCase(), value]),
  );
}

/**
 * Allows the request with `{tenantId, role, via}` as context, or refuses it. A bad credential is a refusal, never
 * a thrown error; only a fault (the issuer or the table unreachable) is thrown, which API Gateway answers with 500.
 * Nothing logged names a secret: only the refusal's code.
 */
export async function handler(event: APIGatewayRequestAuthorizerEventV2): Promise<AuthorizerResult> {
  try {
    const auth = await identifyCaller(lowerCased(event.headers), 'tenant');
    return { isAuthorized: true, context: { tenantId: auth.tenantId, role: auth.role, via: auth.via } };
  } catch (error) {
    if (error instanceof AppError && error.status < 500) {
      logger.info('request refused by the authorizer', { code: error.code, routeKey: event.routeKey });
      return { isAuthorized: false };
    }
    logger.error('authorizer failed', { error: error as Error, routeKey: event.routeKey });
    throw error;
  }
}
