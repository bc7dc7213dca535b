// GET /api/conversations/{id}
import { httpHandler, ok, type HttpRequest } from '../../http/handler.ts';
import { routes } from '../../http/routes.ts';
import { readConversation } from '../conversations.ts';

const route = routes.getConversation;

export const getConversation = async ({ auth, params }: HttpRequest<typeof route>) =>
  ok(await readConversation(auth.tenantId, params.id));

export const handler = httpHandler(route, getConversation);
