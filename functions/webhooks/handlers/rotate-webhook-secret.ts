// POST /api/admin/webhooks/secret
import { httpHandler, ok, type HttpRequest } from '../../http/handler.ts';
import { routes } from '../../http/routes.ts';
import { rotateWebhookSecret } from '../../tenants/tenants.ts';

const route = routes.rotateWebhookSecret;

export const rotateSecret = async ({ auth }: HttpRequest<typeof route>) =>
  ok(await rotateWebhookSecret(auth.tenantId));

export const handler = httpHandler(route, rotateSecret);
