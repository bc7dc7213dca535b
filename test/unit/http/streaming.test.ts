// The streaming wrapper driven as the Lambda runtime drives it, through the local `awslambda` stand-in: the same
// checks as every route, SSE framing, and a stream that always ends.
import '../../../local/lambda-streaming.ts';
import { Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { NotFoundError } from '../../../functions/http/errors.ts';
import type { RouteDefinition } from '../../../functions/http/routes.ts';
import {
  DEADLINE_MARGIN_MS,
  streamingHandler,
  type ResponsePrelude,
  type SseWriter,
} from '../../../functions/http/streaming.ts';
import { logger } from '../../../functions/powertools.ts';
import { isStreamingHandler, preludeOf } from '../../../local/lambda-streaming.ts';

/** The response stream the runtime would hand over; it notes whether the prelude was set before the first byte. */
class FakeResponseStream extends Writable {
  readonly chunks: string[] = [];
  preludeAtFirstWrite: ResponsePrelude | undefined | 'no write yet' = 'no write yet';

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: () => void): void {
    if (this.preludeAtFirstWrite === 'no write yet') this.preludeAtFirstWrite = preludeOf(this);
    this.chunks.push(chunk.toString('utf8'));
    callback();
  }

  get text(): string {
    return this.chunks.join('');
  }

  get prelude(): ResponsePrelude | undefined {
    return preludeOf(this);
  }
}

const route = {
  method: 'POST',
  path: '/api/test/{id}/stream',
  entry: 'unused.ts',
  access: 'public',
  summary: 'test',
  tag: 'test',
  transport: 'function-url',
  request: {
    params: z.strictObject({ id: z.string().regex(/^[a-z]+$/) }),
    body: z.strictObject({ message: z.string().min(1) }),
  },
  responses: {},
  resources: {},
} as const satisfies RouteDefinition;

function event(overrides: Partial<APIGatewayProxyEventV2> = {}): APIGatewayProxyEventV2 {
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: '/api/test/abc/stream',
    rawQueryString: '',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ message: 'hi' }),
    isBase64Encoded: false,
    requestContext: {
      requestId: 'req-1',
      http: { method: 'POST', path: '/api/test/abc/stream' },
    } as APIGatewayProxyEventV2['requestContext'],
    ...overrides,
  };
}

function context(remainingMs = 60_000): Context {
  return {
    functionName: 'stream-test',
    awsRequestId: 'aws-1',
    getRemainingTimeInMillis: () => remainingMs,
  } as unknown as Context;
}

/** SSE text into events, each `{event, data}` with its data parsed. */
function parseEvents(text: string): Array<{ event: string; data: unknown }> {
  return text
    .split('\n\n')
    .filter((block) => block.trim() && !block.startsWith(':'))
    .map((block) => {
      const fields = Object.fromEntries(
        block
          .split('\n')
          .map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 2)]),
      );
      return { event: fields.event ?? 'message', data: JSON.parse(fields.data ?? 'null') };
    });
}

// Before the logger is created by the imports: the refusals and failures below would otherwise fill the output.
vi.hoisted(() => vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'SILENT'));

afterAll(() => {
  vi.unstubAllEnvs();
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe('streamingHandler', () => {
  it('is marked for response streaming, as awslambda.streamifyResponse marks it', () => {
    const handler = streamingHandler(route, async () => undefined);

    expect(isStreamingHandler(handler)).toBe(true);
  });

  it('frames each event exactly as SSE, after a 200 event-stream head, and ends the stream', async () => {
    const response = new FakeResponseStream();
    const handler = streamingHandler(route, async (request, events) => {
      events.send('text', { delta: `You said ${request.body.message} to ${request.params.id}` });
      events.comment('keep-alive');
      events.send('text', { delta: 'line\nbreak' });
      events.send('done', {});
    });

    await handler(event(), response, context());

    expect(response.preludeAtFirstWrite).toEqual({
      statusCode: 200,
      headers: {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache',
        'x-request-id': 'req-1',
      },
    });
    expect(response.text).toBe(
      'event: text\ndata: {"delta":"You said hi to abc"}\n\n' +
        ': keep-alive\n\n' +
        'event: text\ndata: {"delta":"line\\nbreak"}\n\n' +
        'event: done\ndata: {}\n\n',
    );
    expect(response.writableFinished).toBe(true);
  });

  it('answers a body that fails validation with the usual JSON error and its status, streaming nothing', async () => {
    const response = new FakeResponseStream();
    const work = vi.fn(async () => undefined);
    const handler = streamingHandler(route, work);

    await handler(event({ body: JSON.stringify({ message: '', extra: 1 }) }), response, context());

    expect(work).not.toHaveBeenCalled();
    expect(response.prelude).toEqual({
      statusCode: 400,
      headers: { 'content-type': 'application/json; charset=utf-8', 'x-request-id': 'req-1' },
    });
    const body = JSON.parse(response.text);
    expect(body.error.code).toBe('invalid_request');
    expect(body.error.details.map((detail: { field: string }) => detail.field).sort()).toEqual([
      'extra',
      'message',
    ]);
    expect(response.writableFinished).toBe(true);
  });

  it('refuses malformed JSON and a missing body as httpHandler does', async () => {
    const handler = streamingHandler(route, async () => undefined);
    const malformed = new FakeResponseStream();
    const missing = new FakeResponseStream();

    await handler(event({ body: '{"message":' }), malformed, context());
    await handler(event({ body: undefined }), missing, context());

    expect(malformed.prelude?.statusCode).toBe(400);
    expect(JSON.parse(malformed.text).error.code).toBe('invalid_json');
    expect(missing.prelude?.statusCode).toBe(400);
    expect(JSON.parse(missing.text).error.code).toBe('invalid_json');
  });

  it('answers a missing token with 401 JSON on a route that needs one', async () => {
    const response = new FakeResponseStream();
    const work = vi.fn(async () => undefined);
    const handler = streamingHandler({ ...route, access: 'tenant' }, work);

    await handler(event(), response, context());

    expect(work).not.toHaveBeenCalled();
    expect(response.prelude).toMatchObject({
      statusCode: 401,
      headers: { 'www-authenticate': 'Bearer', 'x-request-id': 'req-1' },
    });
    expect(JSON.parse(response.text).error.code).toBe('unauthorized');
  });

  it('reads path parameters from the path, as a function URL sends no routing of its own', async () => {
    const seen: string[] = [];
    const handler = streamingHandler(route, async (request) => {
      seen.push(request.params.id);
    });
    const unknownPath = new FakeResponseStream();
    const badId = new FakeResponseStream();

    await handler(event(), new FakeResponseStream(), context());
    await handler(event({ rawPath: '/elsewhere' }), unknownPath, context());
    await handler(event({ rawPath: '/api/test/ABC/stream' }), badId, context());

    expect(seen).toEqual(['abc']);
    expect(unknownPath.prelude?.statusCode).toBe(404);
    expect(badId.prelude?.statusCode).toBe(404);
  });

  it('refuses another method with 405 and the allowed one', async () => {
    const response = new FakeResponseStream();
    const handler = streamingHandler(route, async () => undefined);
    const get = event();
    get.requestContext.http.method = 'GET';

    await handler(get, response, context());

    expect(response.prelude).toMatchObject({ statusCode: 405, headers: { allow: 'POST' } });
    expect(JSON.parse(response.text).error.code).toBe('method_not_allowed');
  });

  it('turns an unexpected error into an error event that leaks nothing, then ends the stream', async () => {
    const response = new FakeResponseStream();
    const logged = vi.spyOn(logger, 'error');
    const handler = streamingHandler(route, async (_request, events) => {
      events.send('text', { delta: 'Hel' });
      throw new Error('connect ECONNREFUSED 10.0.0.7 secret-table');
    });

    await handler(event(), response, context());

    const events = parseEvents(response.text);
    expect(events.map((e) => e.event)).toEqual(['text', 'error']);
    expect(events[1]?.data).toEqual({ code: 'internal_error', message: expect.any(String) });
    expect(response.text).not.toContain('ECONNREFUSED');
    expect(response.prelude?.statusCode).toBe(200);
    expect(response.writableFinished).toBe(true);
    expect(logged).toHaveBeenCalledOnce();
  });

  it('sends a domain error raised while streaming as an error event with its own code', async () => {
    const response = new FakeResponseStream();
    const handler = streamingHandler(route, async () => {
      throw new NotFoundError('personality_not_found', 'No such personality.');
    });

    await handler(event(), response, context());

    expect(parseEvents(response.text)).toEqual([
      { event: 'error', data: { code: 'personality_not_found', message: 'No such personality.' } },
    ]);
    expect(response.writableFinished).toBe(true);
  });

  it('tells the work when the client goes away: closed turns true, the signal aborts, later sends are dropped', async () => {
    const response = new FakeResponseStream();
    let writer: SseWriter | undefined;
    const handler = streamingHandler(route, async (_request, events) => {
      writer = events;
      events.send('text', { delta: 'first' });
      await new Promise((resolve) => events.signal.addEventListener('abort', resolve));
      events.send('text', { delta: 'after the client left' });
    });

    const running = handler(event(), response, context());
    await vi.waitFor(() => expect(response.text).toContain('first'));
    response.destroy();
    await running;

    expect(writer?.closed).toBe(true);
    expect(writer?.signal.aborted).toBe(true);
    expect((writer?.signal.reason as Error).name).toBe('AbortError');
    expect(response.text).not.toContain('after the client left');
  });

  it('ends the stream with a timeout event just before the function would be stopped', async () => {
    const response = new FakeResponseStream();
    let signal: AbortSignal | undefined;
    const handler = streamingHandler(route, async (_request, events) => {
      signal = events.signal;
      await sleep(10_000, undefined, { signal: events.signal }).catch(() => undefined);
    });

    const started = Date.now();
    await handler(event(), response, context(DEADLINE_MARGIN_MS + 50));

    expect(Date.now() - started).toBeLessThan(2_000);
    expect(parseEvents(response.text)).toEqual([
      { event: 'error', data: { code: 'timeout', message: expect.any(String) } },
    ]);
    expect((signal?.reason as Error).name).toBe('TimeoutError');
    expect(response.writableFinished).toBe(true);
  });

  it('refuses an event name that would break the framing', async () => {
    const response = new FakeResponseStream();
    const handler = streamingHandler(route, async (_request, events) => {
      events.send('text\ndata: injected', {});
    });

    await handler(event(), response, context());

    expect(parseEvents(response.text)).toEqual([
      { event: 'error', data: { code: 'internal_error', message: expect.any(String) } },
    ]);
  });
});
