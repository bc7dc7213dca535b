// GET /api/admin/ai-personalities/{id}/voice/samples/{sampleId}
import { httpHandler, ok, type HttpRequest } from '../../http/handler.ts';
import { routes } from '../../http/routes.ts';
import { sampleRecord, toSample } from '../samples.ts';

const route = routes.getUploadedSample;

export const getSample = async ({ auth, params }: HttpRequest<typeof route>) =>
  ok(toSample(await sampleRecord(auth.tenantId, params.id, params.sampleId)));

export const handler = httpHandler(route, getSample);
