// POST /api/admin/ai-personalities/{id}/voice/upload
import { created, httpHandler, type HttpRequest } from '../../http/handler.ts';
import { routes } from '../../http/routes.ts';
import { registerSamples } from '../samples.ts';

const route = routes.uploadVoiceSamples;

export const uploadSamples = async ({ auth, params, body }: HttpRequest<typeof route>) =>
  created(await registerSamples(auth.tenantId, params.id, body));

export const handler = httpHandler(route, uploadSamples);
