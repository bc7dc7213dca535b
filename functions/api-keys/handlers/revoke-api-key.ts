// DELETE /api/admin/api-keys/{keyId}
import { httpHandler, noContent, type HttpRequest } from '../../http/handler.ts';
import { routes } from '../../http/routes.ts';
import { revokeApiKey } from '../api-keys.ts';

const route = routes.revokeApiKey;

export const revoke = async ({ auth, params }: HttpRequest<typeof route>) => {
  await revokeApiKey(auth.tenantId, auth.subject, params.keyId);
  return noContent();
};

export const handler = httpHandler(route, revoke);
