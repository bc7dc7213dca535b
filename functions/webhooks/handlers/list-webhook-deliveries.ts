// GET /api/admin/webhooks/deliveries
import { httpHandler, ok, type HttpRequest } from '../../http/handler.ts';
import { routes } from '../../http/routes.ts';
import { listWebhookDeliveries } from '../deliveries.ts';

const route = routes.listWebhookDeliveries;

export const listDeliveries = async ({ auth }: HttpRequest<typeof route>) =>
  ok(await listWebhookDeliveries(auth.tenantId));

export const handler = httpHandler(route, listDeliveries);
