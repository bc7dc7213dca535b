// GET /api/admin/ai-personalities/{id}/voice/pronunciations
import { httpHandler, ok, type HttpRequest } from '../../http/handler.ts';
import { routes } from '../../http/routes.ts';
import { getPersonality } from '../../personalities/personalities.ts';
import { getLexicon } from '../lexicon.ts';

const route = routes.getPronunciations;

export const getPronunciations = async ({ auth, params }: HttpRequest<typeof route>) => {
  await getPersonality(auth.tenantId, params.id);
  return ok(await getLexicon(auth.tenantId, params.id));
};

export const handler = httpHandler(route, getPronunciations);
