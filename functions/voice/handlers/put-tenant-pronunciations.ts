// PUT /api/admin/voice/pronunciations
import { httpHandler, ok, type HttpRequest } from '../../http/handler.ts';
import { routes } from '../../http/routes.ts';
import { putLexicon, TENANT_SCOPE } from '../lexicon.ts';

const route = routes.putTenantPronunciations;

export const putTenantPronunciations = async ({ auth, body }: HttpRequest<typeof route>) =>
  ok(await putLexicon(auth.tenantId, TENANT_SCOPE, body));

export const handler = httpHandler(route, putTenantPronunciations);
