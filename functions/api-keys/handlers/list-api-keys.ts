// GET /api/admin/api-keys
import { httpHandler, ok, type HttpRequest } from '../../http/handler.ts';
import { routes } from '../../http/routes.ts';
import { listApiKeys } from '../api-keys.ts';

const route = routes.listApiKeys;

export const list = async ({ auth }: HttpRequest<typeof route>) => ok(await listApiKeys(auth.tenantId));

export const handler = httpHandler(route, list);
