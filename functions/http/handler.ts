// Builds a Lambda handler for one route: the shared middy chain around a function that only does the route's work.
import middy from '@middy/core';
import httpJsonBodyParser from '@middy/http-json-body-parser';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { z } from 'zod';
import { logger } from '../powertools.ts';
import type { AuthContext } from './auth.ts';
import {
  authentication,
  bodyLimit,
  errorResponder,
  jsonResponse,
  requireBody,
  validation,
  type RouteEvent,
} from './middleware.ts';
import type { RouteDefinition } from './routes.ts';

type Parsed<S> = S extends z.ZodType ? z.output<S> : undefined;
type RequestPart<R extends RouteDefinition, K extends 'params' | 'query' | 'body'> = R extends {
  request: Record<K, infer S>;
}
  ? Parsed<S>
  : undefined;

export interface HttpRequest<R extends RouteDefinition> {
  auth: R['access'] extends 'public' ? undefined : AuthContext;
  params: RequestPart<R, 'params'>;
  query: RequestPart<R, 'query'>;
  body: RequestPart<R, 'body'>;
  /** Lower-cased header names, as API Gateway v2 delivers them. */
  headers: Readonly<Record<string, string | undefined>>;
  requestId: string;
}

export interface HttpResult {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export const ok = (body: unknown, headers?: Record<string, string>): HttpResult => ({
  status: 200,
  body,
  headers,
});
export const created = (body: unknown, headers?: Record<string, string>): HttpResult => ({
  status: 201,
  body,
  headers,
});
export const noContent = (): HttpResult => ({ status: 204 });

export function httpHandler<R extends RouteDefinition>(
  route: R,
  work: (request: HttpRequest<R>) => Promise<HttpResult>,
) {
  const chain = middy<RouteEvent, APIGatewayProxyStructuredResultV2, Error, Context>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(errorResponder())
    .use(bodyLimit())
    .use(authentication(route));
  if (route.request?.body) chain.use(requireBody()).use(httpJsonBodyParser());
  chain.use(validation(route));

  return chain.handler(async (event) => {
    const requestId = event.requestContext.requestId;
    const result = await work({
      auth: event.auth as HttpRequest<R>['auth'],
      params: event.input?.params as HttpRequest<R>['params'],
      query: event.input?.query as HttpRequest<R>['query'],
      body: event.input?.body as HttpRequest<R>['body'],
      headers: event.headers ?? {},
      requestId,
    });
    return jsonResponse(result.status, result.body, requestId, result.headers);
  });
}
