// POST /api/admin/ai-personalities/{id}/voice/train
import { httpHandler, type HttpRequest } from '../../http/handler.ts';
import { routes } from '../../http/routes.ts';
import { startTraining } from '../training.ts';

const route = routes.trainVoice;

export const train = async ({ auth, params, body }: HttpRequest<typeof route>) => ({
  status: 202,
  body: await startTraining(auth, params.id, body),
});

export const handler = httpHandler(route, train);
