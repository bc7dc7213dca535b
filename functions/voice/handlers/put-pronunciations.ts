// PUT /api/admin/ai-personalities/{id}/voice/pronunciations
import { httpHandler, ok, type HttpRequest } from '../../http/handler.ts';
import { routes } from '../../http/routes.ts';
import { getPersonality } from '../../personalities/personalities.ts';
import { putLexicon } from '../lexicon.ts';

const route = routes.putPronunciations;

export const putPronunciations = async ({ auth, params, body }: HttpRequest<typeof route>) => {
  await getPersonality(auth.tenantId, params.id);
  return ok(await putLexicon(auth.tenantId, params.id, body));
};

export const handler = httpHandler(route, putPronunciations);
