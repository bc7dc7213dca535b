// Generates the OpenAPI 3.1 document from the route table and its zod schemas, so the docs cannot drift from the code.
// Named schemas (zod's `.meta({ id })`) become components and are referenced, not repeated.
import { OpenAPIRegistry, OpenApiGeneratorV31, type RouteConfig } from '@asteasolutions/zod-to-openapi';
import { ErrorBody } from './schemas.ts';
import { routeList, type RouteDefinition } from './routes.ts';

const errorContent = { 'application/json': { schema: ErrorBody } };

function errorResponses(route: RouteDefinition): RouteConfig['responses'] {
  const responses: RouteConfig['responses'] = {};
  const add = (status: number, description: string) => {
    responses[status] = { description, content: errorContent };
  };
  if (route.request?.body || route.request?.query)
    add(400, 'The request is malformed or names an invalid field');
  if (route.access !== 'public') add(401, 'Missing, expired or wrongly signed token');
  if (route.access === 'admin') add(403, 'The caller is not a tenant admin');
  if (route.request?.params) add(404, 'Nothing with that id in this tenant');
  if (route.method === 'PUT' || route.method === 'DELETE')
    add(409, 'Stale version, or a change the resource refuses');
  if (route.method === 'PUT') add(428, 'No version named: send If-Match or a "version" field');
  if (route.request?.body) {
    add(413, 'Body over 256 KB');
    add(415, 'Body not sent as application/json');
  }
  add(500, 'Unexpected failure; the body carries no internals');
  return responses;
}

export function buildOpenApiDocument(version: string) {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description: 'A Cognito ID token (locally: `npm run token`) carrying custom:tenant_id and cognito:groups',
  });

  for (const route of routeList) {
    const success: RouteConfig['responses'] = {};
    for (const [status, response] of Object.entries(route.responses)) {
      success[status] = {
        description: response.description,
        ...(response.schema ? { content: { 'application/json': { schema: response.schema } } } : {}),
      };
    }
    registry.registerPath({
      method: route.method.toLowerCase() as RouteConfig['method'],
      path: route.path,
      operationId: route.id,
      summary: route.summary,
      tags: [route.tag],
      security: route.access === 'public' ? [] : [{ bearer: [] }],
      request: {
        ...(route.request?.params ? { params: route.request.params } : {}),
        ...(route.request?.query ? { query: route.request.query } : {}),
        ...(route.request?.body
          ? { body: { required: true, content: { 'application/json': { schema: route.request.body } } } }
          : {}),
      },
      responses: { ...success, ...errorResponses(route) },
    });
  }

  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Voice for AI personalities',
      version,
      description:
        'Multi-tenant API that gives chat personalities a voice. Errors are `{"error":{"code","message","details"}}`.',
    },
    servers: [{ url: '/' }],
  });
}
