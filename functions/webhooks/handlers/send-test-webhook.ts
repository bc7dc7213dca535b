// POST /api/admin/webhooks/test
import { httpHandler, type HttpRequest } from '../../http/handler.ts';
import { routes } from '../../http/routes.ts';
import { sendTestWebhook } from '../events.ts';

const route = routes.sendTestWebhook;

export const sendTest = async ({ auth }: HttpRequest<typeof route>) => ({
  status: 202,
  body: await sendTestWebhook(auth.tenantId),
});

export const handler = httpHandler(route, sendTest);
