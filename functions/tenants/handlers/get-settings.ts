// GET /api/admin/tenant/settings
import { httpHandler, ok, type HttpRequest } from '../../http/handler.ts';
import { routes } from '../../http/routes.ts';
import { getTenantSettings } from '../tenants.ts';

const route = routes.getTenantSettings;

export const getSettings = async ({ auth }: HttpRequest<typeof route>) =>
  ok(await getTenantSettings(auth.tenantId));

export const handler = httpHandler(route, getSettings);
