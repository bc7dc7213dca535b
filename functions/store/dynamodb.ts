// The DynamoDB document client and table name, created once per cold start from configuration.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { config } from '../config.ts';

let documentClient: DynamoDBDocumentClient | undefined;

export function dynamoDocumentClient(): DynamoDBDocumentClient {
  if (documentClient) return documentClient;
  const { region, dynamodbEndpoint } = config();
  const client = new DynamoDBClient({
    region,
    ...(dynamodbEndpoint ? { endpoint: dynamodbEndpoint } : {}),
    maxAttempts: 3,
  });
  documentClient = DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
  return documentClient;
}

/** A write refused by its condition: the optimistic-locking and exists-checks of the repositories. */
export function isConditionFailure(error: unknown): boolean {
  for (let cause: unknown = error; cause instanceof Error; cause = cause.cause) {
    if (cause.name === 'ConditionalCheckFailedException') return true;
    if (cause.name === 'TransactionCanceledException' && /ConditionalCheckFailed/.test(cause.message))
      return true;
    if (/conditional request failed/i.test(cause.message)) return true;
  }
  return false;
}
