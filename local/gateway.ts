// The local API Gateway: turns HTTP requests into API Gateway v2 events for the route table's own handlers.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type {
  APIGatewayProxyEventV2,
  APIGatewayProxyResultV2,
  APIGatewayProxyStructuredResultV2,
  Context,
} from 'aws-lambda';
import type { RouteDefinition } from '../functions/http/routes.ts';
import type { StreamingLambdaHandler } from '../functions/http/streaming.ts';
import { serveConsoleFile } from './console.ts';
import { isStreamingHandler, LOCAL_CORS_HEADERS, LocalResponseStream } from './lambda-streaming.ts';

/** API Gateway's own limits: a 10 MB payload and a 30 s integration timeout. */
const MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;
const INTEGRATION_TIMEOUT_MS = 29_000;
/** A streaming route's function runs up to its own timeout (lib/streaming-url.ts), with no API Gateway in front. */
const STREAMING_TIMEOUT_MS = 120_000;

export const LOCAL_SIGN_IN_PATH = '/local-auth/token';

/** Paths the console never answers, so a missing API route is a JSON 404 and not the console's index page. */
const isApiPath = (pathname: string) =>
  pathname === '/api' || pathname.startsWith('/api/') || pathname.startsWith('/local-auth/');

type LambdaHandler = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyResultV2>;

interface CompiledRoute {
  route: RouteDefinition & { id: string };
  pattern: RegExp;
  parameterNames: string[];
}

export interface GatewayOptions {
  routes: ReadonlyArray<RouteDefinition & { id: string }>;
  /** Repository root the route table's entry paths are relative to. */
  root: string;
  /** Extra paths served as-is (the local issuer's JWKS); checked before the route table. */
  staticJson?: Record<string, unknown>;
  /** The built console (console/dist), served at `/` for every path the API does not own. */
  consoleDirectory?: string;
  /**
   * `GET /local-auth/token?tenant=&role=`: the local console's sign-in. Only the local stack has it; in AWS people
   * sign in with Cognito and nothing mints tokens on request.
   */
  localSignIn?: (tenantId: string, role: string) => Promise<{ status: number; body: unknown }>;
  onRequest?: (line: { method: string; path: string; status: number; ms: number; routeKey?: string }) => void;
}

function compile(route: RouteDefinition & { id: string }): CompiledRoute {
  const parameterNames: string[] = [];
  const source = route.path
    .split('/')
    .map((part) => {
      const parameter = /^\{(\w+)\+?\}$/.exec(part);
      if (!parameter?.[1]) return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      parameterNames.push(parameter[1]);
      return '([^/]+)';
    })
    .join('/');
  return { route, pattern: new RegExp(`^${source}$`), parameterNames };
}

const TEXT_TYPES = /^(application\/(json|.*\+json|x-www-form-urlencoded|xml)|text\/)/i;

async function readBody(request: IncomingMessage): Promise<Buffer | 'too_large'> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_PAYLOAD_BYTES) return 'too_large';
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function headersOf(request: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value === undefined) continue;
    headers[name.toLowerCase()] = Array.isArray(value) ? value.join(',') : value;
  }
  return headers;
}

function lambdaContext(
  route: { id: string },
  requestId: string,
  timeoutMs = INTEGRATION_TIMEOUT_MS,
): Context {
  const deadline = Date.now() + timeoutMs;
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: route.id,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${route.id}`,
    memoryLimitInMB: '512',
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${route.id}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

function send(
  response: ServerResponse,
  status: number,
  headers: Record<string, string>,
  body: string | Buffer,
) {
  response.writeHead(status, { ...LOCAL_CORS_HEADERS, ...headers });
  response.end(body);
}

function sendResult(response: ServerResponse, result: APIGatewayProxyResultV2) {
  // API Gateway's payload v2 rule: anything but a structured result is a 200 JSON body.
  if (typeof result !== 'object' || result === null || !('statusCode' in result)) {
    send(response, 200, { 'content-type': 'application/json' }, JSON.stringify(result ?? null));
    return;
  }
  const structured = result as APIGatewayProxyStructuredResultV2;
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(structured.headers ?? {})) headers[name] = String(value);
  if (structured.cookies?.length) headers['set-cookie'] = structured.cookies.join(', ');
  const body = structured.isBase64Encoded
    ? Buffer.from(structured.body ?? '', 'base64')
    : Buffer.from(structured.body ?? '', 'utf8');
  send(response, structured.statusCode ?? 200, headers, body);
}

/**
 * What a function URL in `RESPONSE_STREAM` mode does: the handler gets a response stream whose writes reach the
 * client as they happen. A handler that fails before its first write is a 500, as in Lambda; one that fails later
 * leaves a cut-off stream; one that returns without ending the stream has it ended for it.
 */
async function serveStreaming(
  handler: StreamingLambdaHandler,
  event: APIGatewayProxyEventV2,
  response: ServerResponse,
  context: Context,
): Promise<number> {
  const stream = new LocalResponseStream(response);
  stream.on('error', () => undefined);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), STREAMING_TIMEOUT_MS);
  });
  try {
    const outcome = await Promise.race([handler(event, stream, context), timeout]);
    if (outcome === 'timeout') throw new Error(`timed out after ${STREAMING_TIMEOUT_MS} ms`);
    if (!stream.writableEnded && !stream.destroyed) await new Promise<void>((done) => stream.end(done));
    return response.statusCode;
  } catch (error) {
    console.error(`[gateway] ${event.routeKey} failed:`, error);
    if (!response.headersSent) {
      send(
        response,
        500,
        { 'content-type': 'application/json' },
        JSON.stringify({ message: 'Internal Server Error' }),
      );
      stream.destroy();
      return 500;
    }
    // The head is out: the client sees the stream cut off, as it would from Lambda.
    stream.destroy();
    return response.statusCode;
  } finally {
    clearTimeout(timer);
  }
}

export function createGateway(options: GatewayOptions): Server {
  const compiled = options.routes.map(compile);
  const handlers = new Map<string, Promise<LambdaHandler | StreamingLambdaHandler>>();

  const loadHandler = (route: RouteDefinition & { id: string }) => {
    let handler = handlers.get(route.id);
    if (!handler) {
      // Imported on first use, like a cold start; the same entry file CDK bundles for Lambda.
      handler = import(pathToFileURL(join(options.root, route.entry)).href).then(
        (module: { handler?: unknown }) => {
          if (typeof module.handler !== 'function') throw new Error(`${route.entry} exports no handler`);
          return module.handler as LambdaHandler | StreamingLambdaHandler;
        },
      );
      handlers.set(route.id, handler);
    }
    return handler;
  };

  const serve = async (
    request: IncomingMessage,
    response: ServerResponse,
  ): Promise<{ status: number; routeKey?: string }> => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const method = (request.method ?? 'GET').toUpperCase();

    if (method === 'OPTIONS') {
      send(
        response,
        204,
        {
          'access-control-allow-methods': 'GET,POST,PUT,PATCH,DELETE,OPTIONS',
          'access-control-allow-headers': 'authorization,content-type,if-match,x-api-key',
          'access-control-max-age': '3600',
        },
        '',
      );
      return { status: 204 };
    }
    const staticBody = options.staticJson?.[url.pathname];
    if (method === 'GET' && staticBody !== undefined) {
      send(response, 200, { 'content-type': 'application/json' }, JSON.stringify(staticBody));
      return { status: 200 };
    }

    if (method === 'GET' && url.pathname === LOCAL_SIGN_IN_PATH && options.localSignIn) {
      const answer = await options.localSignIn(
        url.searchParams.get('tenant') ?? '',
        url.searchParams.get('role') ?? 'admin',
      );
      send(
        response,
        answer.status,
        { 'content-type': 'application/json', 'cache-control': 'no-store' },
        JSON.stringify(answer.body),
      );
      return { status: answer.status };
    }

    let match: { compiled: CompiledRoute; values: string[] } | undefined;
    for (const candidate of compiled) {
      if (candidate.route.method !== method) continue;
      const found = candidate.pattern.exec(url.pathname);
      if (found) {
        match = { compiled: candidate, values: found.slice(1) };
        break;
      }
    }
    if (
      !match &&
      options.consoleDirectory &&
      (method === 'GET' || method === 'HEAD') &&
      !isApiPath(url.pathname)
    ) {
      return { status: await serveConsoleFile(options.consoleDirectory, url.pathname, method, response) };
    }
    if (!match) {
      send(response, 404, { 'content-type': 'application/json' }, JSON.stringify({ message: 'Not Found' }));
      return { status: 404 };
    }

    const body = await readBody(request);
    if (body === 'too_large') {
      send(
        response,
        413,
        { 'content-type': 'application/json' },
        JSON.stringify({ message: 'Request Entity Too Large' }),
      );
      return { status: 413 };
    }
    const { route, parameterNames } = match.compiled;
    const routeKey = `${route.method} ${route.path}`;
    const headers = headersOf(request);
    const isText = body.length === 0 || TEXT_TYPES.test(headers['content-type'] ?? '');
    const requestId = randomUUID();
    // No prototype: `?__proto__=x` or `?toString=x` is a parameter like any other, as API Gateway passes it on.
    const query: Record<string, string> = Object.create(null) as Record<string, string>;
    for (const [name, value] of url.searchParams)
      query[name] = Object.hasOwn(query, name) ? `${query[name]},${value}` : value;
    const pathParameters: Record<string, string> = {};
    parameterNames.forEach((name, index) => {
      const raw = match.values[index] ?? '';
      try {
        pathParameters[name] = decodeURIComponent(raw);
      } catch {
        pathParameters[name] = raw;
      }
    });
    const now = new Date();

    const event: APIGatewayProxyEventV2 = {
      version: '2.0',
      routeKey,
      rawPath: url.pathname,
      rawQueryString: url.search.replace(/^\?/, ''),
      headers,
      ...(Object.keys(query).length ? { queryStringParameters: query } : {}),
      ...(parameterNames.length ? { pathParameters } : {}),
      requestContext: {
        accountId: '000000000000',
        apiId: 'local',
        domainName: headers.host ?? 'localhost',
        domainPrefix: 'local',
        http: {
          method,
          path: url.pathname,
          protocol: `HTTP/${request.httpVersion}`,
          sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
          userAgent: headers['user-agent'] ?? '',
        },
        requestId,
        routeKey,
        stage: '$default',
        time: now.toUTCString(),
        timeEpoch: now.getTime(),
      },
      ...(body.length ? { body: isText ? body.toString('utf8') : body.toString('base64') } : {}),
      isBase64Encoded: !isText,
    };

    try {
      const handler = await loadHandler(route);
      if (isStreamingHandler(handler)) {
        return await serveStreaming(
          handler,
          event,
          response,
          lambdaContext(route, requestId, STREAMING_TIMEOUT_MS),
        ).then((status) => ({ status, routeKey }));
      }
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), INTEGRATION_TIMEOUT_MS);
      });
      const result = await Promise.race([
        (handler as LambdaHandler)(event, lambdaContext(route, requestId)),
        timeout,
      ]);
      clearTimeout(timer);
      if (result === 'timeout') {
        send(
          response,
          503,
          { 'content-type': 'application/json' },
          JSON.stringify({ message: 'Service Unavailable' }),
        );
        return { status: 503, routeKey };
      }
      sendResult(response, result);
      return { status: response.statusCode, routeKey };
    } catch (error) {
      // What API Gateway answers when the function itself fails; the cause goes to the console, as to CloudWatch.
      console.error(`[gateway] ${routeKey} failed:`, error);
      send(
        response,
        500,
        { 'content-type': 'application/json' },
        JSON.stringify({ message: 'Internal Server Error' }),
      );
      return { status: 500, routeKey };
    }
  };

  return createServer((request, response) => {
    const started = performance.now();
    serve(request, response)
      .then(({ status, routeKey }) => {
        options.onRequest?.({
          method: request.method ?? 'GET',
          path: request.url ?? '/',
          status,
          ms: performance.now() - started,
          ...(routeKey ? { routeKey } : {}),
        });
      })
      .catch((error: unknown) => {
        console.error('[gateway] request failed:', error);
        if (!response.headersSent) send(response, 500, {}, '');
      });
  });
}
