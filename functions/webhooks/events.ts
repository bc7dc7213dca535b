// Raising a webhook event for a tenant: recorded as a pending delivery and queued; a tenant without a URL gets none.
import { randomBytes } from 'node:crypto';
import { ConflictError } from '../http/errors.ts';
import { logger } from '../powertools.ts';
import { table } from '../store/table.ts';
import { webhookQueue } from './queue.ts';
import type { WebhookEventType } from './schemas.ts';

/** Deliveries (and their payloads) are kept this long for the tenant to look back on, then expire. */
export const DELIVERY_RETENTION_DAYS = 30;

/** What the receiver gets as the body, byte for byte the same on every attempt. */
export interface WebhookEvent {
  id: string;
  type: WebhookEventType;
  created_at: string;
  tenant_id: string;
  data: Record<string, unknown>;
}

/**
 * `evt_`, the time in milliseconds as nine base-36 digits (fixed width, so ids sort by time until the year 5188),
 * and a random suffix that keeps two events of the same millisecond apart.
 */
export function newEventId(now = new Date()): string {
  return `evt_${now.getTime().toString(36).padStart(9, '0')}${randomBytes(8).toString('hex')}`;
}

/**
 * Records and queues one event. Primary course:
 * 1. read the tenant's webhook URL; none means nothing to send (undefined);
 * 2. build the event and keep its exact JSON in a `pending` delivery that expires in 30 days;
 * 3. queue the first attempt at once.
 * The receiver's answer never matters here: attempts retry on their own. Throws only when the delivery cannot be
 * recorded or queued, which callers whose own work must not fail catch and log.
 */
export async function emitWebhookEvent(
  tenantId: string,
  type: WebhookEventType,
  data: Record<string, unknown>,
): Promise<string | undefined> {
  const { data: profile } = await table()
    .tenantProfiles.get({ tenant_id: tenantId })
    .go({ consistent: true });
  const url = profile?.webhook_url;
  if (!url) return undefined;

  const now = new Date();
  const event: WebhookEvent = {
    id: newEventId(now),
    type,
    created_at: now.toISOString(),
    tenant_id: tenantId,
    data,
  };
  await table()
    .webhookDeliveries.create({
      tenant_id: tenantId,
      id: event.id,
      created_at: event.created_at,
      event_type: type,
      url,
      payload: JSON.stringify(event),
      status: 'pending',
      attempts: 0,
      updated_at: event.created_at,
      expiresAt: Math.floor(now.getTime() / 1000) + DELIVERY_RETENTION_DAYS * 86_400,
    })
    .go();
  await webhookQueue().enqueue({ tenant_id: tenantId, delivery_id: event.id, attempt: 1 }, 0);
  logger.info('webhook event queued', { tenantId, deliveryId: event.id, eventType: type });
  return event.id;
}

/** A `webhook.test` event, so an admin can see their receiver answer; refused while no URL is set. */
export async function sendTestWebhook(tenantId: string): Promise<{ delivery_id: string }> {
  const deliveryId = await emitWebhookEvent(tenantId, 'webhook.test', {
    message: 'This is a test event; your webhook URL receives and verifies deliveries.',
  });
  if (!deliveryId) {
    throw new ConflictError(
      'no_webhook_url',
      'This tenant has no webhook URL; set webhook_url with PUT /api/admin/tenant/settings first.',
    );
  }
  return { delivery_id: deliveryId };
}
