// DELETE /api/admin/ai-personalities/{id}/voice
import { httpHandler, ok, type HttpRequest } from '../../http/handler.ts';
import { routes } from '../../http/routes.ts';
import { deleteCustomVoice } from '../voice-deletion.ts';

const route = routes.deleteCustomVoice;

export const remove = async ({ auth, params }: HttpRequest<typeof route>) =>
  ok(await deleteCustomVoice(auth, params.id));

export const handler = httpHandler(route, remove);
