// Where the next attempt at a webhook delivery waits: an SQS queue in AWS, a timer in the process on the local stack.
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import * as z from 'zod';
import { config } from '../config.ts';
import { logger } from '../powertools.ts';

/** SQS will not hold a message back longer than this. */
export const MAX_SQS_DELAY_SECONDS = 900;

/** One queued attempt: which delivery, and which attempt it is, so a duplicate message is recognised. */
export const DeliveryMessage = z.object({
  tenant_id: z.string().min(1),
  delivery_id: z.string().min(1),
  attempt: z.int().positive(),
});
export type DeliveryMessage = z.infer<typeof DeliveryMessage>;

export interface WebhookQueue {
  /** Makes the attempt happen after `delayMs` (at once for 0). */
  enqueue(message: DeliveryMessage, delayMs: number): Promise<void>;
}

export class SqsWebhookQueue implements WebhookQueue {
  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async enqueue(message: DeliveryMessage, delayMs: number): Promise<void> {
    // A longer wait is cut to SQS's limit; the consumer sees the attempt is not due yet and queues it again.
    const delaySeconds = Math.min(MAX_SQS_DELAY_SECONDS, Math.ceil(Math.max(0, delayMs) / 1000));
    await this.client.send(
      new SendMessageCommand({
        QueueUrl: this.queueUrl,
        MessageBody: JSON.stringify(message),
        DelaySeconds: delaySeconds,
      }),
    );
  }
}

/**
 * The local stack runs every handler in its own process, so an attempt waits on a timer there and then runs the
 * delivery directly. Pending local deliveries do not survive a restart: they stay `pending` in the table.
 */
export class InProcessWebhookQueue implements WebhookQueue {
  constructor(private readonly attempt: (message: DeliveryMessage) => Promise<void>) {}

  async enqueue(message: DeliveryMessage, delayMs: number): Promise<void> {
    const timer = setTimeout(
      () => {
        this.attempt(message).catch((error: unknown) => {
          logger.error('webhook delivery attempt failed unexpectedly', {
            deliveryId: message.delivery_id,
            attempt: message.attempt,
            error: error as Error,
          });
        });
      },
      Math.max(0, delayMs),
    );
    // A waiting retry must not keep a command-line process alive.
    timer.unref();
  }
}

let queue: WebhookQueue | undefined;

export function webhookQueue(): WebhookQueue {
  if (queue) return queue;
  const { webhooks, region } = config();
  queue = webhooks.queueUrl
    ? new SqsWebhookQueue(new SQSClient({ region }), webhooks.queueUrl)
    : // Imported when the timer fires, not here: delivery.ts queues retries through this module.
      new InProcessWebhookQueue(async (message) => (await import('./delivery.ts')).attemptDelivery(message));
  return queue;
}
