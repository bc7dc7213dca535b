// SQS consumer: one delivery attempt per message. A receiver's failure is retried by queueing the next attempt
// with its backoff; only an unexpected error (the table or the queue failing) leaves the message for SQS to redeliver.
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { logger } from '../../powertools.ts';
import { attemptDelivery } from '../delivery.ts';
import { DeliveryMessage } from '../queue.ts';

function parseMessage(body: string): DeliveryMessage | undefined {
  try {
    const parsed = DeliveryMessage.safeParse(JSON.parse(body));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

export const handler = async (event: SQSEvent): Promise<SQSBatchResponse> => {
  const outcomes = await Promise.all(
    event.Records.map(async (record) => {
      const message = parseMessage(record.body);
      if (!message) {
        // Redelivery would not make it readable.
        logger.error('unreadable webhook delivery message dropped', { messageId: record.messageId });
        return undefined;
      }
      try {
        await attemptDelivery(message);
        return undefined;
      } catch (error) {
        logger.error('webhook delivery attempt failed unexpectedly', {
          messageId: record.messageId,
          deliveryId: message.delivery_id,
          error: error as Error,
        });
        return { itemIdentifier: record.messageId };
      }
    }),
  );
  return { batchItemFailures: outcomes.filter((failure) => failure !== undefined) };
};
