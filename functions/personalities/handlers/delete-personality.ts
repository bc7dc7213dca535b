// DELETE /api/admin/ai-personalities/{id}: If-Match is optional here; when sent, a stale one is refused.
import { httpHandler, noContent, type HttpRequest } from '../../http/handler.ts';
import { routes } from '../../http/routes.ts';
import { getTenantSettings } from '../../tenants/tenants.ts';
import { deletePersonality } from '../personalities.ts';
import { expectedVersion } from '../versions.ts';

const route = routes.deletePersonality;

export const remove = async ({ auth, params, headers }: HttpRequest<typeof route>) => {
  const version = expectedVersion(headers['if-match'], undefined, { required: false });
  const settings = await getTenantSettings(auth.tenantId);
  await deletePersonality(auth.tenantId, params.id, version, settings.primary_personality_id ?? undefined);
  return noContent();
};

export const handler = httpHandler(route, remove);
