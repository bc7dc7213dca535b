// The shared middlewares on their own: error mapping, body limit and validation, without HTTP or a store.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AppError, ConflictError } from '../../../functions/http/errors.ts';
import {
  bodyLimit,
  MAX_BODY_BYTES,
  toAppError,
  validation,
  type RouteEvent,
} from '../../../functions/http/middleware.ts';
import type { RouteDefinition } from '../../../functions/http/routes.ts';

function event(overrides: Partial<RouteEvent> = {}): RouteEvent {
  return {
    version: '2.0',
    routeKey: 'POST /things/{id}',
    rawPath: '/things/abc',
    rawQueryString: '',
    headers: {},
    isBase64Encoded: false,
    requestContext: { requestId: 'r-1' } as RouteEvent['requestContext'],
    ...overrides,
  };
}

async function run(middleware: ReturnType<typeof bodyLimit>, input: RouteEvent): Promise<unknown> {
  try {
    await middleware.before?.({
      event: input,
      context: {} as never,
      response: undefined,
      error: undefined,
      internal: {},
    });
    return undefined;
  } catch (error) {
    return error;
  }
}

const route: RouteDefinition = {
  method: 'POST',
  path: '/things/{id}',
  entry: 'unused.ts',
  access: 'admin',
  summary: 'test',
  tag: 'test',
  request: {
    params: z.strictObject({ id: z.string().regex(/^[a-z]+$/) }),
    query: z.strictObject({ limit: z.coerce.number().int().max(10).optional() }),
    body: z.strictObject({ name: z.string(), traits: z.strictObject({ level: z.int().max(10) }).optional() }),
  },
  responses: {},
  resources: {},
};

describe('toAppError', () => {
  it('keeps domain errors as they are', () => {
    const conflict = new ConflictError('version_conflict', 'stale');

    expect(toAppError(conflict)).toBe(conflict);
  });

  it('maps the JSON parser’s errors to invalid_json and unsupported_media_type', () => {
    const malformed = Object.assign(new Error('Invalid or malformed JSON was provided'), {
      statusCode: 422,
      cause: { package: '@middy/http-json-body-parser', message: 'Unexpected end of JSON input' },
    });
    const wrongType = Object.assign(new Error('Unsupported Media Type'), { statusCode: 415 });

    expect(toAppError(malformed)).toMatchObject({ status: 400, code: 'invalid_json' });
    expect(toAppError(malformed).message).toContain('Unexpected end of JSON input');
    expect(toAppError(wrongType)).toMatchObject({ status: 415, code: 'unsupported_media_type' });
  });

  it('turns anything unexpected into a 500 that does not repeat the internal message', () => {
    const mapped = toAppError(new Error('connect ECONNREFUSED 10.0.0.7:8000 secret-table'));

    expect(mapped).toBeInstanceOf(AppError);
    expect(mapped.status).toBe(500);
    expect(mapped.code).toBe('internal_error');
    expect(mapped.message).not.toContain('ECONNREFUSED');
  });
});

describe('bodyLimit', () => {
  it('lets a body of exactly the limit through and refuses one byte more with 413', async () => {
    expect(await run(bodyLimit(), event({ body: 'a'.repeat(MAX_BODY_BYTES) }))).toBeUndefined();
    expect(await run(bodyLimit(), event({ body: 'a'.repeat(MAX_BODY_BYTES + 1) }))).toMatchObject({
      status: 413,
    });
  });

  it('counts bytes, not characters, and decodes base64 sizes', async () => {
    const emoji = '🎤'.repeat(MAX_BODY_BYTES / 4 + 1);
    const base64 = Buffer.alloc(MAX_BODY_BYTES + 3).toString('base64');

    expect(await run(bodyLimit(), event({ body: emoji }))).toMatchObject({ status: 413 });
    expect(await run(bodyLimit(), event({ body: base64, isBase64Encoded: true }))).toMatchObject({
      status: 413,
    });
  });
});

describe('validation', () => {
  it('hands the parsed path, query and body on', async () => {
    const input = event({
      pathParameters: { id: 'abc' },
      queryStringParameters: { limit: '5' },
      body: { name: 'n' },
    });

    expect(await run(validation(route), input)).toBeUndefined();
    expect(input.input).toEqual({ params: { id: 'abc' }, query: { limit: 5 }, body: { name: 'n' } });
  });

  it('answers an id that cannot exist with 404', async () => {
    const error = await run(validation(route), event({ pathParameters: { id: 'ABC' }, body: { name: 'n' } }));

    expect(error).toMatchObject({ status: 404, code: 'not_found' });
  });

  it('names each bad field of the body, unknown keys included', async () => {
    const error = (await run(
      validation(route),
      event({ pathParameters: { id: 'abc' }, body: { name: 1, traits: { level: 11 }, extra: true } }),
    )) as AppError;

    expect(error.status).toBe(400);
    expect(error.code).toBe('invalid_request');
    const fields = (error.details as Array<{ field: string }>).map((detail) => detail.field).sort();
    expect(fields).toEqual(['extra', 'name', 'traits.level']);
    expect(error.message).toContain('traits.level');
  });

  it('refuses a bad query with 400', async () => {
    const error = await run(
      validation(route),
      event({ pathParameters: { id: 'abc' }, queryStringParameters: { limit: '99' }, body: { name: 'n' } }),
    );

    expect(error).toMatchObject({ status: 400, code: 'invalid_request' });
  });
});
