// PUT /api/admin/tenant/settings
import { httpHandler, ok, type HttpRequest } from '../../http/handler.ts';
import { routes } from '../../http/routes.ts';
import { updateTenantSettings } from '../tenants.ts';

const route = routes.updateTenantSettings;

export const updateSettings = async ({ auth, body }: HttpRequest<typeof route>) =>
  ok(await updateTenantSettings(auth.tenantId, body));

export const handler = httpHandler(route, updateSettings);
