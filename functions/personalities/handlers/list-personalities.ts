// GET /api/admin/ai-personalities
import { httpHandler, ok, type HttpRequest } from '../../http/handler.ts';
import { routes } from '../../http/routes.ts';
import { listPersonalities } from '../personalities.ts';

const route = routes.listPersonalities;

export const list = async ({ auth }: HttpRequest<typeof route>) =>
  ok({ personalities: await listPersonalities(auth.tenantId) });

export const handler = httpHandler(route, list);
