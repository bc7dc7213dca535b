// Where usage records wait when the table refuses them: an SQS queue in AWS, a directory of files locally.
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { config } from '../config.ts';
import type { UsageRecord } from './usage-records.ts';

export interface DeadLetterQueue {
  send(record: UsageRecord): Promise<void>;
}

class SqsDeadLetters implements DeadLetterQueue {
  private readonly client: SQSClient;
  constructor(
    private readonly queueUrl: string,
    region: string,
  ) {
    this.client = new SQSClient({ region });
  }

  async send(record: UsageRecord): Promise<void> {
    await this.client.send(
      new SendMessageCommand({ QueueUrl: this.queueUrl, MessageBody: JSON.stringify(record) }),
    );
  }
}

/** One JSON file per record, written under a temporary name and renamed, so a reader never sees half a file. */
export class DirectoryDeadLetters implements DeadLetterQueue {
  constructor(readonly directory: string) {}

  async send(record: UsageRecord): Promise<void> {
    mkdirSync(this.directory, { recursive: true });
    const file = join(this.directory, `${record.id}.json`);
    writeFileSync(`${file}.tmp`, JSON.stringify(record));
    renameSync(`${file}.tmp`, file);
  }
}

class NoDeadLetters implements DeadLetterQueue {
  async send(record: UsageRecord): Promise<void> {
    throw new Error(
      `No dead-letter queue is configured (USAGE_DLQ_URL or USAGE_DLQ_DIR); usage record ${record.id} is lost`,
    );
  }
}

let queue: DeadLetterQueue | undefined;

export function deadLetters(): DeadLetterQueue {
  if (queue) return queue;
  const { usageDeadLetter, region } = config();
  if (usageDeadLetter.queueUrl) queue = new SqsDeadLetters(usageDeadLetter.queueUrl, region);
  else if (usageDeadLetter.directory) queue = new DirectoryDeadLetters(usageDeadLetter.directory);
  else queue = new NoDeadLetters();
  return queue;
}
