// GET /api/admin/voice/usage
import { httpHandler, ok, type HttpRequest } from '../../http/handler.ts';
import { routes } from '../../http/routes.ts';
import { usageReport } from '../usage-report.ts';

const route = routes.getVoiceUsage;

export const getUsage = async ({ auth, query }: HttpRequest<typeof route>) =>
  ok(await usageReport(auth.tenantId, query));

export const handler = httpHandler(route, getUsage);
