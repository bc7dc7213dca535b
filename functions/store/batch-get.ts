// Several items of the one table read in one strongly consistent BatchGetItem, each parsed by its own repository:
// one round trip and one request's work where separate gets would cost one of each per item.
import { BatchGetCommand } from '@aws-sdk/lib-dynamodb';
import { config } from '../config.ts';
import { dynamoDocumentClient } from './dynamodb.ts';
import { TABLE_KEYS } from './models.ts';

/** One item to read: its key as the repository builds it, and the repository's parser of what comes back. */
export interface ItemRead<T> {
  key: Record<string, unknown>;
  parse(item: Record<string, unknown>): T | null;
}

/**
 * An `ItemRead` from a repository's (an ElectroDB entity's) get operation and the repository itself, which parses
 * the item into what that operation's `go()` would answer.
 */
export function itemRead<T>(
  get: { params(): unknown; go(): Promise<{ data: T }> },
  entity: { parse(response: { Item: Record<string, unknown> }): { data: unknown } },
): ItemRead<NonNullable<T>> {
  const { Key } = get.params() as { Key: Record<string, unknown> };
  return { key: Key, parse: (item) => entity.parse({ Item: item }).data as NonNullable<T> | null };
}

/** Attempts at keys DynamoDB left unprocessed (it may, under load) before giving up. */
const ATTEMPTS = 5;

const identity = (key: Record<string, unknown>) =>
  `${String(key[TABLE_KEYS.partitionKey])}\u0000${String(key[TABLE_KEYS.sortKey])}`;

/** The items, in the order asked, `null` for one that is not there. At most 100 reads. */
export async function getItems<T extends unknown[]>(reads: { [I in keyof T]: ItemRead<T[I]> }): Promise<{
  [I in keyof T]: T[I] | null;
}> {
  const { tableName } = config();
  const found = new Map<string, Record<string, unknown>>();
  let pending = reads.map((read) => read.key);
  for (let attempt = 1; pending.length > 0; attempt += 1) {
    if (attempt > ATTEMPTS)
      throw new Error(`DynamoDB left ${pending.length} keys unread after ${ATTEMPTS} tries`);
    if (attempt > 1) await new Promise((resolve) => setTimeout(resolve, 20 * 2 ** attempt));
    const answer = await dynamoDocumentClient().send(
      new BatchGetCommand({ RequestItems: { [tableName]: { Keys: pending, ConsistentRead: true } } }),
    );
    for (const item of answer.Responses?.[tableName] ?? []) found.set(identity(item), item);
    pending = (answer.UnprocessedKeys?.[tableName]?.Keys ?? []) as Array<Record<string, unknown>>;
  }
  return reads.map((read) => {
    const item = found.get(identity(read.key));
    return item ? read.parse(item) : null;
  }) as { [I in keyof T]: T[I] | null };
}
