// GET /api/personalities: what a tenant's app shows in a personality picker.
import { httpHandler, ok, type HttpRequest } from '../../http/handler.ts';
import { routes } from '../../http/routes.ts';
import { listActivePersonalities } from '../personalities.ts';

const route = routes.listActivePersonalities;

export const listActive = async ({ auth }: HttpRequest<typeof route>) =>
  ok({ personalities: await listActivePersonalities(auth.tenantId) });

export const handler = httpHandler(route, listActive);
