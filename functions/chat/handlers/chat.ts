// POST /api/chat
import { httpHandler, ok, type HttpRequest } from '../../http/handler.ts';
import { routes } from '../../http/routes.ts';
import { chatTurn } from '../chat.ts';

const route = routes.chat;

export const chat = async ({ auth, body, requestId }: HttpRequest<typeof route>) =>
  ok(await chatTurn(auth, body, requestId));

export const handler = httpHandler(route, chat);
