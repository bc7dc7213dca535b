// DELETE /api/admin/ai-personalities/{id}/voice/samples/{sampleId}
import { httpHandler, noContent, type HttpRequest } from '../../http/handler.ts';
import { routes } from '../../http/routes.ts';
import { deleteSample } from '../samples.ts';

const route = routes.deleteUploadedSample;

export const remove = async ({ auth, params }: HttpRequest<typeof route>) => {
  await deleteSample(auth.tenantId, params.id, params.sampleId);
  return noContent();
};

export const handler = httpHandler(route, remove);
