// The middy middlewares every handler shares: body limit, authentication, input validation, error mapping.
import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { z } from 'zod';
import { logger } from '../powertools.ts';
import { isStoreUnavailable } from '../store/availability.ts';
import { authenticate, type AuthContext } from './auth.ts';
import { AppError, BadRequestError, NotFoundError, PayloadTooLargeError } from './errors.ts';
import type { RouteDefinition } from './routes.ts';

/** The API Gateway v2 event as the handler sees it once the chain has run. */
export type RouteEvent = Omit<APIGatewayProxyEventV2, 'body'> & {
  body?: unknown;
  auth?: AuthContext;
  input?: { params: unknown; query: unknown; body: unknown };
};

type Middleware = MiddlewareObj<RouteEvent, APIGatewayProxyStructuredResultV2>;

export const MAX_BODY_BYTES = 256 * 1024;

export function jsonResponse(
  status: number,
  body: unknown,
  requestId: string | undefined,
  headers: Record<string, string> = {},
): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode: status,
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json; charset=utf-8' }),
      ...(requestId ? { 'x-request-id': requestId } : {}),
      ...headers,
    },
    body: body === undefined ? '' : JSON.stringify(body),
  };
}

/** Refuses bodies over the limit before anything reads them. */
export function bodyLimit(maxBytes = MAX_BODY_BYTES): Middleware {
  return {
    before: ({ event }) => {
      if (typeof event.body !== 'string') return;
      const bytes = event.isBase64Encoded
        ? Math.floor((event.body.length * 3) / 4)
        : Buffer.byteLength(event.body, 'utf8');
      if (bytes > maxBytes) throw new PayloadTooLargeError(maxBytes);
    },
  };
}

/** Header names lower-cased, whatever the event's source wrote, as the credential checks expect them. */
function lowerCasedHeaders(event: RouteEvent): Record<string, string | undefined> {
  return Object.fromEntries(
    Object.entries(event.headers ?? {}).map(([name, value]) => [name.toLowerCase(), value]),
  );
}

export function authentication(route: RouteDefinition): Middleware {
  return {
    before: async ({ event }) => {
      event.auth = await authenticate(lowerCasedHeaders(event), route.access);
      if (event.auth) {
        const { tenantId, role, via, keyId } = event.auth;
        logger.appendKeys({ tenantId, role, via, ...(keyId ? { keyId } : {}) });
      }
    },
  };
}

/** Routes that take a body insist on one; the JSON parser that follows reports malformed ones. */
export function requireBody(): Middleware {
  return {
    before: ({ event }) => {
      if (event.body === undefined || event.body === null || event.body === '') {
        throw new BadRequestError('invalid_json', 'This route needs a JSON body.');
      }
    },
  };
}

function issuePath(issue: z.core.$ZodIssue): string {
  const path = issue.path.map(String);
  if (issue.code === 'unrecognized_keys') return [...path, issue.keys.join(', ')].join('.');
  return path.join('.');
}

function describeIssues(issues: z.core.$ZodIssue[]) {
  return issues.map((issue) => ({ field: issuePath(issue) || '(body)', message: issue.message }));
}

/** Checks path, query and body against the route's zod schemas; an id that cannot exist is a 404, not a 400. */
export function validation(route: RouteDefinition): Middleware {
  return {
    before: ({ event }) => {
      const request = route.request ?? {};
      const params = request.params?.safeParse(event.pathParameters ?? {});
      if (params && !params.success) {
        throw new NotFoundError('not_found', `Nothing exists at ${event.rawPath}.`);
      }
      const query = request.query?.safeParse(event.queryStringParameters ?? {});
      if (query && !query.success) {
        const details = describeIssues(query.error.issues);
        throw new BadRequestError(
          'invalid_request',
          `Invalid query: ${details.map((d) => `${d.field}: ${d.message}`).join('; ')}`,
          details,
        );
      }
      const body = request.body?.safeParse(event.body);
      if (body && !body.success) {
        const details = describeIssues(body.error.issues);
        throw new BadRequestError(
          'invalid_request',
          `Invalid request body: ${details.map((d) => `${d.field}: ${d.message}`).join('; ')}`,
          details,
        );
      }
      event.input = { params: params?.data, query: query?.data, body: body?.data };
    },
  };
}

interface MiddyHttpError extends Error {
  statusCode: number;
  cause?: { package?: string; message?: string };
}

function isMiddyHttpError(error: unknown): error is MiddyHttpError {
  return error instanceof Error && typeof (error as Partial<MiddyHttpError>).statusCode === 'number';
}

/** Turns an error into the `{"error":{code,message,details}}` envelope; unknown errors are logged, never shown. */
export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (isStoreUnavailable(error)) {
    return new AppError(
      503,
      'service_unavailable',
      'The service is briefly unavailable; try again in a few seconds.',
      undefined,
      { 'retry-after': '5' },
    );
  }
  if (isMiddyHttpError(error) && error.statusCode === 415) {
    return new AppError(
      415,
      'unsupported_media_type',
      'Send the body as JSON with "Content-Type: application/json".',
    );
  }
  if (isMiddyHttpError(error) && error.statusCode === 422) {
    const reason = error.cause?.message ? `: ${error.cause.message}` : '';
    return new BadRequestError('invalid_json', `The request body is not valid JSON${reason}.`);
  }
  if (isMiddyHttpError(error) && error.statusCode < 500) {
    return new AppError(error.statusCode, 'bad_request', error.message);
  }
  return new AppError(
    500,
    'internal_error',
    'Something went wrong on our side; quote the request id if it persists.',
  );
}

export function errorResponder(): Middleware {
  return {
    onError: (request) => {
      const appError = toAppError(request.error);
      if (appError.status >= 500) logger.error('request failed', { error: request.error as Error });
      else logger.info('request refused', { status: appError.status, code: appError.code });
      const body = {
        error: {
          code: appError.code,
          message: appError.message,
          ...(appError.details === undefined ? {} : { details: appError.details }),
        },
      };
      request.response = jsonResponse(
        appError.status,
        body,
        request.event.requestContext?.requestId,
        appError.headers,
      );
    },
  };
}
