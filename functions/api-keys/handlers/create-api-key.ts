// POST /api/admin/api-keys: the answer is the only place the secret ever appears, so it must not be cached.
import { created, httpHandler, type HttpRequest } from '../../http/handler.ts';
import { routes } from '../../http/routes.ts';
import { createApiKey } from '../api-keys.ts';

const route = routes.createApiKey;

export const create = async ({ auth, body }: HttpRequest<typeof route>) =>
  created(await createApiKey(auth.tenantId, auth.subject, body), { 'cache-control': 'no-store' });

export const handler = httpHandler(route, create);
