// GET /api/health: answers while the function can run at all; it touches no store so it stays cheap.
import { config } from '../../config.ts';
import { httpHandler, ok } from '../handler.ts';
import { routes } from '../routes.ts';

export const health = async () =>
  ok({ status: 'ok', version: config().appVersion, time: new Date().toISOString() });

export const handler = httpHandler(routes.health, health);
