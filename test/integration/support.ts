// What integration tests share: an HTTP client for the local gateway, tokens, fresh tenants, direct store reads.
import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { inject } from 'vitest';
import { loadLocalIssuer, type TokenRequest } from '../../local/issuer.ts';
import { LOCAL_RESOURCES } from '../../local/stack.ts';
import { SimulatorControl } from '../simulators/harness.ts';
import { createEntities } from '../../functions/store/models.ts';
import type { PlanId } from '../../functions/tenants/plans.ts';

export interface ApiResponse<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
}

export interface CallOptions {
  method?: string;
  token?: string;
  json?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
}

export async function call<T = any>(path: string, options: CallOptions = {}): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let body: string | undefined;
  if (options.json !== undefined) {
    body = JSON.stringify(options.json);
    headers['content-type'] ??= 'application/json';
  } else if (options.rawBody !== undefined) {
    body = options.rawBody;
  }
  const response = await fetch(`${inject('stackUrl')}${path}`, {
    method: options.method ?? (body === undefined ? 'GET' : 'POST'),
    headers,
    body,
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // Not JSON: the test sees the text.
  }
  return { status: response.status, headers: response.headers, body: parsed as T };
}

let issuer: Awaited<ReturnType<typeof loadLocalIssuer>> | undefined;

export async function token(request: Partial<TokenRequest> & { tenantId: string }): Promise<string> {
  issuer ??= await loadLocalIssuer(inject('issuerKeyFile'));
  return issuer.mint({ role: 'admin', ...request });
}

/** A tenant no other test uses, with an admin and a member token. */
export async function freshTenant() {
  const tenantId = `t-${randomUUID().slice(0, 12)}`;
  return {
    tenantId,
    admin: await token({ tenantId, role: 'admin' }),
    member: await token({ tenantId, role: 'member' }),
  };
}

let documentClient: DynamoDBDocumentClient | undefined;

/** Reads the table behind the API, through the AWS SDK, to check what was (or was not) written. */
export function tableClient(): DynamoDBDocumentClient {
  documentClient ??= DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint: inject('dynamodbEndpoint'),
      region: LOCAL_RESOURCES.region,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    }),
  );
  return documentClient;
}

export async function tenantItems(tenantId: string): Promise<Record<string, unknown>[]> {
  const { Items } = await tableClient().send(
    new QueryCommand({
      TableName: LOCAL_RESOURCES.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': `TENANT#${tenantId}` },
      ConsistentRead: true,
    }),
  );
  return Items ?? [];
}

/** The control API of one provider simulator. */
export function simulator(name: 'elevenlabs' | 'google' | 'openai' | 'polly'): SimulatorControl {
  return new SimulatorControl(inject('simulatorUrls')[name]);
}

/** Usage records of a tenant for the current month, read straight from the table. */
export async function usageRecords(tenantId: string): Promise<Record<string, any>[]> {
  const month = new Date().toISOString().slice(0, 7);
  const { Items } = await tableClient().send(
    new QueryCommand({
      TableName: LOCAL_RESOURCES.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': `TENANT#${tenantId}#USAGE#${month}` },
      ConsistentRead: true,
    }),
  );
  return Items ?? [];
}

/** A tenant's monthly usage counter (`all`, or `provider#<name>`). */
export async function usageCounter(
  tenantId: string,
  scope = 'all',
): Promise<Record<string, any> | undefined> {
  const month = new Date().toISOString().slice(0, 7);
  const { Item } = await tableClient().send(
    new GetCommand({
      TableName: LOCAL_RESOURCES.tableName,
      Key: { pk: `TENANT#${tenantId}`, sk: `USAGE#${month}#${scope}` },
      ConsistentRead: true,
    }),
  );
  return Item;
}

export async function download(url: string): Promise<Buffer> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`download failed: ${response.status}`);
  return Buffer.from(await response.arrayBuffer());
}

/** Puts a tenant on a plan, as an operator does with `npm run tenant-plan`. */
export async function setPlan(tenantId: string, plan: PlanId): Promise<void> {
  const entities = createEntities({ client: tableClient(), table: LOCAL_RESOURCES.tableName });
  await entities.tenantProfiles
    .upsert({ tenant_id: tenantId, plan, updated_at: new Date().toISOString() })
    .go();
}
