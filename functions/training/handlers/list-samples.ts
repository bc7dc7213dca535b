// GET /api/admin/ai-personalities/{id}/voice/samples
import { httpHandler, ok, type HttpRequest } from '../../http/handler.ts';
import { routes } from '../../http/routes.ts';
import { listSamples } from '../samples.ts';

const route = routes.listVoiceSamples;

export const list = async ({ auth, params }: HttpRequest<typeof route>) =>
  ok(await listSamples(auth.tenantId, params.id));

export const handler = httpHandler(route, list);
