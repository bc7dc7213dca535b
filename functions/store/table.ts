// The repositories over the one table, bound to the configured client and table name once per cold start.
import { config } from '../config.ts';
import { dynamoDocumentClient } from './dynamodb.ts';
import { createEntities, type Entities } from './models.ts';

let entities: Entities | undefined;

export function table(): Entities {
  entities ??= createEntities({ client: dynamoDocumentClient(), table: config().tableName });
  return entities;
}
