// The fault run's own world: provider simulators and a local stack on disk (so DynamoDB Local can be restarted
// without losing its tables), tokens for its tenants, and direct reads of the table to check what was stored.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DescribeExecutionCommand, SFNClient } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { loadLocalIssuer, type LocalIssuer } from '../../local/issuer.ts';
import { LOCAL_RESOURCES, startLocalStack, type LocalStack } from '../../local/stack.ts';
import { speechTestEnvironment } from '../integration/speech-environment.ts';
import { startSimulators, type Simulators } from '../simulators/index.ts';
import type { Timeouts } from './fault-plan.ts';

export interface FaultWorld {
  stack: LocalStack;
  simulators: Simulators;
  issuer: LocalIssuer;
  deadLetterDirectory: string;
  table: FaultTable;
  /** How the training job's state machine execution stands: RUNNING, SUCCEEDED, FAILED … */
  executionStatus(jobId: string): Promise<string>;
  stop(): Promise<void>;
}

/**
 * Short enough that a held answer is given up on within the run, and that a chat turn with every retry and
 * fallback stays under the gateway's 29 s; long enough for a busy machine's real audio.
 */
export const TIMEOUTS: Timeouts = { speechMs: 3000, chatMs: 4000 };

export async function startFaultWorld(): Promise<FaultWorld> {
  const dataDirectory = mkdtempSync(join(tmpdir(), 'voice-faults-'));
  const simulators = await startSimulators();
  let stack: LocalStack;
  try {
    stack = await startLocalStack({
      port: 0,
      // On disk: DynamoDB Local is restarted mid-run, and in-memory tables would not survive that.
      memory: false,
      dataDirectory,
      logLevel: 'SILENT',
      environment: speechTestEnvironment(simulators.environment, {
        TTS_TIMEOUT_MS: String(TIMEOUTS.speechMs),
        CHAT_TIMEOUT_MS: String(TIMEOUTS.chatMs),
        TTS_RETRY_ATTEMPTS: '2',
        TTS_RETRY_BASE_MS: '20',
        TTS_RETRY_MAX_MS: '100',
        // Open breakers are part of what faults cause; a short cool-down lets providers back in within the run.
        TTS_CIRCUIT_THRESHOLD: '4',
        TTS_CIRCUIT_COOLDOWN_MS: '2000',
        TRAINING_MAX_STATUS_CHECKS: '3',
        DEFAULT_PLAN: 'enterprise',
      }),
      // Retries of training tasks every 4 s (AWS backs off from 1–5 s): enough for the failure handling to outlast a
      // DynamoDB Local restart, which takes 10–30 s on a busy two-core machine.
      training: { waitMs: 50, retryMs: 4000 },
      usageReplayIntervalMs: 1000,
    });
  } catch (error) {
    await simulators.stop();
    rmSync(dataDirectory, { recursive: true, force: true });
    throw error;
  }
  const issuer = await loadLocalIssuer(join(dataDirectory, 'local-issuer.json'));
  const table = new FaultTable(stack.endpoints.dynamodb);
  const stepFunctions = new SFNClient({
    endpoint: stack.endpoints.stepFunctions,
    region: LOCAL_RESOURCES.region,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  // Named as functions/training/state-machine.ts names executions.
  const executions = process.env.TRAINING_STATE_MACHINE_ARN!.replace(':stateMachine:', ':execution:');
  return {
    stack,
    simulators,
    issuer,
    deadLetterDirectory: join(dataDirectory, 'usage-dead-letters'),
    table,
    executionStatus: async (jobId) =>
      (await stepFunctions.send(new DescribeExecutionCommand({ executionArn: `${executions}:vt-${jobId}` })))
        .status ?? 'UNKNOWN',
    stop: async () => {
      stepFunctions.destroy();
      table.close();
      await stack.stop();
      await simulators.stop();
      rmSync(dataDirectory, { recursive: true, force: true });
    },
  };
}

/** Usage records still waiting in the dead-letter directory. */
export function waitingDeadLetters(directory: string): string[] {
  try {
    return readdirSync(directory).filter((name) => name.endsWith('.json'));
  } catch {
    return [];
  }
}

export interface StoredMessageItem {
  sk: string;
  id: string;
  seq: string;
  role: 'user' | 'assistant';
  text: string;
  model_text?: string;
  personality_id: string;
  audio_keys?: string[];
}

export interface UsageRecordItem {
  id: string;
  tenant_id: string;
  provider: string;
  voice_id: string;
  characters: number;
  cached: boolean;
  request_id?: string;
}

export interface UsageCounterItem {
  requests: number;
  characters: number;
  cached_requests?: number;
}

/** Raw reads of the table, item by item, so a duplicate cannot hide behind an entity's filters. */
export class FaultTable {
  private readonly client: DynamoDBDocumentClient;

  constructor(endpoint: string) {
    this.client = DynamoDBDocumentClient.from(
      new DynamoDBClient({
        endpoint,
        region: LOCAL_RESOURCES.region,
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      }),
    );
  }

  private async partition(pk: string): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: LOCAL_RESOURCES.tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': pk },
          ConsistentRead: true,
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      items.push(...(page.Items ?? []));
      start = page.LastEvaluatedKey;
    } while (start);
    return items;
  }

  /** The conversation's messages in sequence order (its META item left out). */
  async messages(tenantId: string, conversationId: string): Promise<StoredMessageItem[]> {
    const items = await this.partition(`TENANT#${tenantId}#CONV#${conversationId}`);
    return items.filter((item) => String(item.sk).startsWith('MSG#')) as unknown as StoredMessageItem[];
  }

  async usageRecords(tenantId: string, months: string[]): Promise<UsageRecordItem[]> {
    const pages = await Promise.all(
      months.map((month) => this.partition(`TENANT#${tenantId}#USAGE#${month}`)),
    );
    return pages.flat() as unknown as UsageRecordItem[];
  }

  async usageCounter(tenantId: string, month: string, scope: string): Promise<UsageCounterItem | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({
        TableName: LOCAL_RESOURCES.tableName,
        Key: { pk: `TENANT#${tenantId}`, sk: `USAGE#${month}#${scope}` },
        ConsistentRead: true,
      }),
    );
    return Item as UsageCounterItem | undefined;
  }

  close(): void {
    this.client.destroy();
  }
}
