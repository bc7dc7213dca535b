// PUT /api/admin/ai-personalities/{id}: a change at the version the client read (If-Match or body "version").
import { httpHandler, ok, type HttpRequest } from '../../http/handler.ts';
import { routes } from '../../http/routes.ts';
import { updatePersonality } from '../personalities.ts';
import { expectedVersion, versionTag } from '../versions.ts';

const route = routes.updatePersonality;

export const update = async ({ auth, params, body, headers }: HttpRequest<typeof route>) => {
  const version = expectedVersion(headers['if-match'], body.version, { required: true });
  const personality = await updatePersonality(auth.tenantId, params.id, body, version);
  return ok(personality, { etag: versionTag(personality.version) });
};

export const handler = httpHandler(route, update);
