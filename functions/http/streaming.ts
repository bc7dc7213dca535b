// Builds a Lambda handler for a route that answers with Server-Sent Events, streamed through a Lambda function URL.
//
// Why the checks are not a middy chain in middy's streaming mode (`executionModeStreamifyResponse`):
// - it calls `awslambda.streamifyResponse` when the handler is built, so importing the handler outside Lambda
//   (tests, the local gateway before its stand-in is installed) would crash;
// - it runs the `after` hooks as soon as the handler returns its body stream, before a byte of it is written: the
//   logger's `resetKeys` would drop the tenant keys for everything logged while the answer streams, and middy's
//   early-timeout guard would cover only the checks;
// - the work would have to be a Readable that middy pipes, which hides the client's disconnection behind a pipeline
//   failure.
// So the wrapper runs the very middleware objects `httpHandler` uses, `before` hooks in the same order, and maps a
// refusal with the same `errorResponder`: a request refused here gets the same status, headers and body as anywhere.
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { MiddlewareObj, Request } from '@middy/core';
import httpJsonBodyParser from '@middy/http-json-body-parser';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { logger } from '../powertools.ts';
import { AppError, NotFoundError } from './errors.ts';
import type { HttpRequest } from './handler.ts';
import {
  authentication,
  bodyLimit,
  errorResponder,
  requireBody,
  toAppError,
  validation,
  type RouteEvent,
} from './middleware.ts';
import type { RouteDefinition } from './routes.ts';

/**
 * The response stream the runtime hands a streaming handler: a Node.js Writable (or, in the Lambda runtime, an
 * object exposing a Writable's methods). Only what this module uses is named.
 */
export interface LambdaResponseStream {
  write(chunk: string | Uint8Array, callback?: (error?: Error | null) => void): boolean;
  end(callback?: () => void): unknown;
  on(event: 'close' | 'error' | 'finish', listener: (error?: Error) => void): unknown;
  once(event: 'close' | 'error' | 'finish', listener: (error?: Error) => void): unknown;
  readonly destroyed: boolean;
  readonly writableEnded: boolean;
}

/** What precedes the body of an HTTP response streamed by Lambda (sent as JSON and 8 null bytes by the runtime). */
export interface ResponsePrelude {
  statusCode: number;
  headers?: Record<string, string>;
  cookies?: string[];
}

export type StreamingLambdaHandler = (
  event: APIGatewayProxyEventV2,
  responseStream: LambdaResponseStream,
  context: Context,
) => Promise<void>;

/** The global the Lambda Node.js runtime provides to streaming functions; it has no npm package and no types. */
export interface AwsLambdaRuntime {
  /** Marks a handler so the runtime calls it as `(event, responseStream, context)`. */
  streamifyResponse<H extends StreamingLambdaHandler>(handler: H, options?: { highWaterMark?: number }): H;
  HttpResponseStream: {
    /** Sets the status and headers; call it once, before the first write. */
    from(stream: LambdaResponseStream, prelude: ResponsePrelude): LambdaResponseStream;
  };
}

/**
 * The runtime's global as it may really be. The Lambda runtime provides it, and locally local/lambda-streaming.ts;
 * @types/aws-lambda declares it as always there. Neither is the whole truth: outside Lambda, the AWS SDK and
 * Powertools (through @aws/lambda-invoke-store) set `globalThis.awslambda = {}` when imported, so its members are
 * what tells whether response streaming is available.
 */
const lambdaGlobal = globalThis as unknown as { awslambda?: Partial<AwsLambdaRuntime> };

/** The runtime's streaming helpers, if this process has them (Lambda, or after the local stand-in). */
export function installedLambdaRuntime(): AwsLambdaRuntime | undefined {
  const candidate = lambdaGlobal.awslambda;
  if (typeof candidate?.streamifyResponse !== 'function') return undefined;
  if (typeof candidate.HttpResponseStream?.from !== 'function') return undefined;
  return candidate as AwsLambdaRuntime;
}

/** The mark `awslambda.streamifyResponse` puts on a handler; the local gateway looks for the same one. */
export const STREAMING_HANDLER_MARK = Symbol.for('aws.lambda.runtime.handler.streaming');

export interface SseWriter {
  /** Sends one event, `event: <name>\ndata: <json>\n\n`; dropped once the stream is closed. */
  send(event: string, data: unknown): void;
  /** Sends a comment (`: text`), which SSE clients ignore: a keep-alive. */
  comment(text: string): void;
  /** True once the client went away or the stream ended; sends are dropped from then on. */
  readonly closed: boolean;
  /** Aborted when the client disconnects or the function is about to time out: hand it to model and TTS calls. */
  readonly signal: AbortSignal;
}

export const SSE_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache',
} as const;

/** Kept back before the function's timeout so the client is told, and the stream ends cleanly, before Lambda stops it. */
export const DEADLINE_MARGIN_MS = 1000;

const EVENT_NAME = /^[A-Za-z0-9_.-]+$/;

type CheckRequest = Request<RouteEvent, APIGatewayProxyStructuredResultV2, Error, Context>;
type Check = MiddlewareObj<RouteEvent, APIGatewayProxyStructuredResultV2, Error, Context>;

/** The checks of `httpHandler`, in its order: body limit, authentication, JSON body, validation. */
function routeChecks(route: RouteDefinition): Check[] {
  return [
    bodyLimit(),
    authentication(route),
    ...(route.request?.body ? [requireBody(), httpJsonBodyParser() as unknown as Check] : []),
    validation(route),
  ];
}

/**
 * A function URL sends every method and path to its one function, where API Gateway would have routed: the method
 * must be the route's, and the path parameters are read from the path as API Gateway would.
 */
function matchRoute(route: RouteDefinition, event: RouteEvent): void {
  const method = event.requestContext?.http?.method?.toUpperCase();
  if (method && method !== route.method) {
    throw new AppError(405, 'method_not_allowed', `${route.path} answers ${route.method} only.`, undefined, {
      allow: route.method,
    });
  }
  if (event.pathParameters !== undefined) return;
  const names: string[] = [];
  const pattern = route.path
    .split('/')
    .map((part) => {
      const parameter = /^\{(\w+)\}$/.exec(part);
      if (!parameter?.[1]) return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      names.push(parameter[1]);
      return '([^/]+)';
    })
    .join('/');
  const found = new RegExp(`^${pattern}/?$`).exec(event.rawPath ?? '');
  if (!found) throw new NotFoundError('not_found', `Nothing exists at ${event.rawPath}.`);
  if (names.length === 0) return;
  event.pathParameters = Object.fromEntries(
    names.map((name, index) => [name, safeDecode(found[index + 1] ?? '')]),
  );
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

function lambdaRuntime(): AwsLambdaRuntime {
  const runtime = installedLambdaRuntime();
  if (!runtime) {
    throw new Error(
      'The awslambda global is missing: streaming handlers run in Lambda, or locally once local/lambda-streaming.ts is imported.',
    );
  }
  return runtime;
}

/** Resolves once the stream has ended (or can no longer end); never rejects, never waits on a dead stream. */
function endStream(stream: LambdaResponseStream): Promise<void> {
  if (stream.destroyed || stream.writableEnded) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => resolve();
    stream.once('error', done);
    stream.once('close', done);
    stream.end(done);
  });
}

async function sendResponse(
  responseStream: LambdaResponseStream,
  response: APIGatewayProxyStructuredResultV2,
): Promise<void> {
  const headers = Object.fromEntries(
    Object.entries(response.headers ?? {}).map(([name, value]) => [name, String(value)]),
  );
  const stream = lambdaRuntime().HttpResponseStream.from(responseStream, {
    statusCode: response.statusCode ?? 500,
    headers,
  });
  stream.on('error', () => undefined);
  if (!stream.destroyed) stream.write(response.body ?? '');
  await endStream(stream);
}

class EventStream implements SseWriter {
  readonly #stream: LambdaResponseStream;
  readonly #controller = new AbortController();
  #closed = false;
  #ending = false;

  constructor(stream: LambdaResponseStream) {
    this.#stream = stream;
    stream.on('error', (error) => this.#clientGone(error));
    stream.on('close', () => this.#clientGone());
  }

  get closed(): boolean {
    return this.#closed;
  }

  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  send(event: string, data: unknown): void {
    if (!EVENT_NAME.test(event)) throw new Error(`Not a valid SSE event name: ${JSON.stringify(event)}`);
    // JSON never holds a raw line break, so one `data:` line carries the whole value.
    this.#write(`event: ${event}\ndata: ${JSON.stringify(data ?? null)}\n\n`);
  }

  comment(text: string): void {
    this.#write(
      `${text
        .split(/\r\n|\r|\n/)
        .map((line) => `: ${line}`)
        .join('\n')}\n\n`,
    );
  }

  /** Sends the status and headers at once, before the first event. */
  open(): void {
    this.#write('');
  }

  /** Stops the stream early (the deadline): later sends are dropped and whatever the work awaits is aborted. */
  abort(reason: Error): void {
    this.#closed = true;
    if (!this.#controller.signal.aborted) this.#controller.abort(reason);
  }

  async end(): Promise<void> {
    this.#ending = true;
    this.#closed = true;
    await endStream(this.#stream);
  }

  #write(chunk: string): void {
    if (this.#closed || this.#stream.destroyed) return;
    try {
      this.#stream.write(chunk);
    } catch (error) {
      this.#clientGone(error as Error);
    }
  }

  #clientGone(error?: Error): void {
    if (this.#ending || this.#controller.signal.aborted) return;
    this.#closed = true;
    const reason = new Error('The client went away.', error ? { cause: error } : undefined);
    reason.name = 'AbortError';
    this.#controller.abort(reason);
  }
}

function errorEvent(error: unknown): { code: string; message: string; details?: unknown } {
  const appError = toAppError(error);
  return {
    code: appError.code,
    message: appError.message,
    ...(appError.details === undefined ? {} : { details: appError.details }),
  };
}

/** Resolves `'timeout'` shortly before the function would be stopped, if the context says when that is. */
function deadline(context: Context): { reached: Promise<'timeout'>; clear: () => void } {
  const remaining = context.getRemainingTimeInMillis?.();
  let timer: NodeJS.Timeout | undefined;
  const reached = new Promise<'timeout'>((resolve) => {
    if (typeof remaining !== 'number' || !Number.isFinite(remaining) || remaining <= 0) return;
    timer = setTimeout(() => resolve('timeout'), Math.max(0, remaining - DEADLINE_MARGIN_MS));
  });
  return { reached, clear: () => clearTimeout(timer) };
}

/**
 * A Lambda handler for a streaming route (`transport: 'function-url'`).
 *
 * Primary course:
 * 1. the request goes through the checks of every route (body limit, the route's access, JSON body, validation);
 *    a refusal is the usual JSON error with its status, and nothing is streamed;
 * 2. `prepare`, when given, does what may still be refused with a status (a domain error it throws is a JSON error);
 * 3. the head goes out: 200, `text/event-stream`, `no-cache`, `x-request-id`;
 * 4. `work` sends events; a domain error it throws becomes an `error` event with its code, anything else an
 *    `error` event `internal_error` that leaks nothing (the cause is logged);
 * 5. the stream ends, always: after the work, when the client goes away, or just before the function's timeout
 *    (an `error` event `timeout` first; the work's signal is aborted).
 */
export function streamingHandler<R extends RouteDefinition, P = undefined>(
  route: R,
  work: (request: HttpRequest<R>, events: SseWriter, prepared: P) => Promise<void>,
  options: {
    /**
     * Runs after the checks and before the head: what can still be refused with a status (an unknown id → 404)
     * belongs here; its result is handed to `work`.
     */
    prepare?: (request: HttpRequest<R>) => Promise<P>;
  } = {},
): StreamingLambdaHandler {
  const checks = routeChecks(route);
  const refusal = errorResponder();
  const logContext = injectLambdaContext(logger, { resetKeys: true }) as Check;

  const handler: StreamingLambdaHandler = async (event, responseStream, context) => {
    const request: CheckRequest = {
      event: event as unknown as RouteEvent,
      context,
      response: undefined,
      error: undefined,
      internal: {},
    };
    await logContext.before?.(request);
    try {
      let prepared: P;
      try {
        matchRoute(route, request.event);
        for (const check of checks) await check.before?.(request);
        prepared = (options.prepare ? await options.prepare(httpRequest(request.event)) : undefined) as P;
      } catch (error) {
        request.error = error as Error;
        await refusal.onError?.(request);
        if (request.response) await sendResponse(responseStream, request.response);
        return;
      }
      await stream(request, responseStream, context, prepared);
    } finally {
      await logContext.after?.(request);
    }
  };

  function httpRequest(event: RouteEvent): HttpRequest<R> {
    return {
      auth: event.auth as HttpRequest<R>['auth'],
      params: event.input?.params as HttpRequest<R>['params'],
      query: event.input?.query as HttpRequest<R>['query'],
      body: event.input?.body as HttpRequest<R>['body'],
      headers: event.headers ?? {},
      requestId: event.requestContext.requestId,
    };
  }

  async function stream(
    request: CheckRequest,
    responseStream: LambdaResponseStream,
    context: Context,
    prepared: P,
  ) {
    const { event } = request;
    const requestId = event.requestContext.requestId;
    const events = new EventStream(
      lambdaRuntime().HttpResponseStream.from(responseStream, {
        statusCode: 200,
        headers: { ...SSE_HEADERS, 'x-request-id': requestId },
      }),
    );
    events.open();
    const timeout = deadline(context);
    try {
      const outcome = await Promise.race([work(httpRequest(event), events, prepared), timeout.reached]);
      if (outcome === 'timeout') {
        logger.warn('stream cut short: the function is about to time out');
        events.send('error', {
          code: 'timeout',
          message: 'The answer took too long and was cut short; ask again.',
        });
        const reason = new Error('The function is about to time out.');
        reason.name = 'TimeoutError';
        events.abort(reason);
      }
    } catch (error) {
      if (events.closed) {
        logger.info('stream work stopped after the client went away', { error: error as Error });
      } else {
        const failure = errorEvent(error);
        if (toAppError(error).status >= 500) logger.error('stream failed', { error: error as Error });
        else logger.info('stream refused', { code: failure.code });
        events.send('error', failure);
      }
    } finally {
      timeout.clear();
      await events.end();
    }
  }

  const runtime = installedLambdaRuntime();
  if (runtime) return runtime.streamifyResponse(handler);
  // Imported where no runtime (and no local stand-in yet) exists: mark it as the runtime's decorator does.
  return Object.assign(handler, { [STREAMING_HANDLER_MARK]: 'response' });
}
