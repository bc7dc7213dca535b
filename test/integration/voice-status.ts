// Sets a personality's voice status in the table, as the cloning workflow does, for tests that need one.
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { LOCAL_RESOURCES } from '../../local/stack.ts';
import { tableClient } from './support.ts';

export async function setVoiceStatus(
  tenantId: string,
  personalityId: string,
  status: 'training' | 'ready' | 'failed',
) {
  await tableClient().send(
    new UpdateCommand({
      TableName: LOCAL_RESOURCES.tableName,
      Key: { pk: `TENANT#${tenantId}`, sk: `PERSONALITY#${personalityId}` },
      UpdateExpression: 'SET voice_config.#status = :status',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':status': status },
      ConditionExpression: 'attribute_exists(pk)',
    }),
  );
}
