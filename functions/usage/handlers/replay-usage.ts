// SQS consumer: writes dead-lettered usage records; a record that fails again stays on the queue.
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { logger } from '../../powertools.ts';
import { writeUsageRecord, type UsageRecord } from '../usage-records.ts';

export const handler = async (event: SQSEvent): Promise<SQSBatchResponse> => {
  const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
  for (const message of event.Records) {
    try {
      const outcome = await writeUsageRecord(JSON.parse(message.body) as UsageRecord);
      logger.info('usage record replayed', { messageId: message.messageId, outcome });
    } catch (error) {
      logger.error('usage record replay failed', { messageId: message.messageId, error: error as Error });
      batchItemFailures.push({ itemIdentifier: message.messageId });
    }
  }
  return { batchItemFailures };
};
