// GET /api/admin/voice/providers?language=en-US
import { httpHandler, ok, type HttpRequest } from '../../http/handler.ts';
import { routes } from '../../http/routes.ts';
import { listProviders } from '../providers.ts';

const route = routes.listVoiceProviders;

export const listVoiceProviders = async ({ query }: HttpRequest<typeof route>) =>
  ok(await listProviders(query.language), { 'cache-control': 'private, max-age=300' });

export const handler = httpHandler(route, listVoiceProviders);
