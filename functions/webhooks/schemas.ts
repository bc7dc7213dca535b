// Webhook events, secrets and deliveries as the API shows them.
import * as z from 'zod';

export const WEBHOOK_EVENT_TYPES = [
  'voice.training.succeeded',
  'voice.training.failed',
  'usage.budget.80_percent',
  'webhook.test',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

export const WebhookDelivery = z
  .object({
    id: z.string(),
    event_type: z.enum(WEBHOOK_EVENT_TYPES),
    url: z.string(),
    status: z.enum(['pending', 'delivered', 'failed']),
    attempts: z.int(),
    last_status_code: z.int().nullable(),
    last_error: z.string().nullable(),
    next_attempt_at: z.string().nullable(),
    delivered_at: z.string().nullable(),
    created_at: z.string(),
  })
  .meta({ id: 'WebhookDelivery' });
export type WebhookDelivery = z.infer<typeof WebhookDelivery>;

export const WebhookDeliveryList = z
  .object({ deliveries: z.array(WebhookDelivery).describe('Newest first') })
  .meta({ id: 'WebhookDeliveryList' });

export const WebhookSecret = z
  .object({
    webhook_secret: z.string().describe('Shown in this answer only'),
    created_at: z.string(),
  })
  .meta({ id: 'WebhookSecret' });

export const WebhookTestAnswer = z.object({ delivery_id: z.string() }).meta({ id: 'WebhookTestAnswer' });
