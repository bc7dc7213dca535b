// GET /api/openapi.json: the API described from the route table, built once per cold start.
import { config } from '../../config.ts';
import { httpHandler, ok } from '../handler.ts';
import { buildOpenApiDocument } from '../openapi.ts';
import { routes } from '../routes.ts';

let document: ReturnType<typeof buildOpenApiDocument> | undefined;

export const openapi = async () => {
  document ??= buildOpenApiDocument(config().appVersion);
  return ok(document, { 'cache-control': 'public, max-age=300' });
};

export const handler = httpHandler(routes.openapi, openapi);
