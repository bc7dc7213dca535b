// A tenant's webhook deliveries as the API shows them: newest first, with the last answer of each.
import { table } from '../store/table.ts';
import type { WebhookDelivery, WebhookEventType } from './schemas.ts';

/** Enough to see what happened lately; older deliveries expire after 30 days anyway. */
export const DELIVERY_LIST_LIMIT = 50;

export async function listWebhookDeliveries(
  tenantId: string,
  limit = DELIVERY_LIST_LIMIT,
): Promise<{ deliveries: WebhookDelivery[] }> {
  const { data } = await table()
    .webhookDeliveries.query.byTime({ tenant_id: tenantId })
    .go({ order: 'desc', limit });
  // TTL deletion is not immediate: a delivery past its expiry may still be in the table for a while.
  const now = Math.floor(Date.now() / 1000);
  return {
    deliveries: data
      .filter((delivery) => !delivery.expiresAt || delivery.expiresAt > now)
      .map((delivery) => ({
        id: delivery.id,
        event_type: delivery.event_type as WebhookEventType,
        url: delivery.url,
        status: delivery.status,
        attempts: delivery.attempts,
        last_status_code: delivery.last_status_code ?? null,
        last_error: delivery.last_error ?? null,
        next_attempt_at: delivery.next_attempt_at ?? null,
        delivered_at: delivery.delivered_at ?? null,
        created_at: delivery.created_at,
      })),
  };
}
