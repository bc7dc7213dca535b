// GET /api/admin/voice/pronunciations
import { httpHandler, ok, type HttpRequest } from '../../http/handler.ts';
import { routes } from '../../http/routes.ts';
import { getLexicon, TENANT_SCOPE } from '../lexicon.ts';

const route = routes.getTenantPronunciations;

export const getTenantPronunciations = async ({ auth }: HttpRequest<typeof route>) =>
  ok(await getLexicon(auth.tenantId, TENANT_SCOPE));

export const handler = httpHandler(route, getTenantPronunciations);
