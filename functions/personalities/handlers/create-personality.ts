// POST /api/admin/ai-personalities
import { created, httpHandler, type HttpRequest } from '../../http/handler.ts';
import { routes } from '../../http/routes.ts';
import { createPersonality } from '../personalities.ts';
import { versionTag } from '../versions.ts';

const route = routes.createPersonality;

export const create = async ({ auth, body }: HttpRequest<typeof route>) => {
  const personality = await createPersonality(auth.tenantId, body);
  return created(personality, {
    etag: versionTag(personality.version),
    location: `/api/admin/ai-personalities/${personality.id}`,
  });
};

export const handler = httpHandler(route, create);
