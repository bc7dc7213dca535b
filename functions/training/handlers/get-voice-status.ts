// GET /api/admin/ai-personalities/{id}/voice/status
import { httpHandler, ok, type HttpRequest } from '../../http/handler.ts';
import { routes } from '../../http/routes.ts';
import { trainingStatus } from '../training.ts';

const route = routes.getVoiceStatus;

export const status = async ({ auth, params }: HttpRequest<typeof route>) =>
  ok(await trainingStatus(auth.tenantId, params.id));

export const handler = httpHandler(route, status);
