// GET /api/admin/ai-personalities/{id}: the ETag carries the version an update must name.
import { httpHandler, ok, type HttpRequest } from '../../http/handler.ts';
import { routes } from '../../http/routes.ts';
import { getPersonality } from '../personalities.ts';
import { versionTag } from '../versions.ts';

const route = routes.getPersonality;

export const get = async ({ auth, params }: HttpRequest<typeof route>) => {
  const personality = await getPersonality(auth.tenantId, params.id);
  return ok(personality, { etag: versionTag(personality.version) });
};

export const handler = httpHandler(route, get);
