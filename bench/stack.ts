// Starts the local stack in a child process (bench/stack-process.ts), talks to it over IPC, mints tokens for it,
// and reads the peak memory of the stack and of its DynamoDB Local from /proc.
import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { loadLocalIssuer, type LocalIssuer } from '../local/issuer.ts';
import { LOCAL_RESOURCES } from '../local/stack.ts';
import type { CpuShares, StackRequest, WaitProfile } from './stack-process.ts';

export interface BenchStack {
  url: string;
  endpoints: { dynamodb: string; s3: string; stepFunctions: string };
  pid: number;
  /** An admin or member token for a tenant. */
  token(tenantId: string, role?: 'admin' | 'member'): Promise<string>;
  /** Waits since the last call (which starts a new period), or of the calls that began within a window. */
  profile(window?: { from: number; to: number }): Promise<WaitProfile>;
  /** Samples the stack's CPU between start and stop; stop gives the time by package or product folder. */
  cpuProfile(action: 'start'): Promise<unknown>;
  cpuProfile(action: 'stop'): Promise<CpuShares>;
  /** Peak resident memory so far, in MB: the stack's Node process, and its DynamoDB Local (Java) child. */
  peakMemory(): Promise<{ stackMb: number; dynamodbMb: number | undefined }>;
  /** CPU seconds DynamoDB Local (Java) has used since it started. */
  dynamodbCpuSeconds(): number | undefined;
  /** How often the AWS SDK has warned that every socket of a client was in use and requests were queued. */
  socketWarnings(): number;
  stop(): Promise<void>;
}

/** Omit over each member of a union, so a request keeps its own fields. */
type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;

type Pending = { resolve: (value: unknown) => void; reject: (error: Error) => void };

/** A fresh tenant id; every run's tenants are new, so nothing cached by an earlier run answers. */
export const newTenantId = (label: string) => `b-${label}-${randomUUID().slice(0, 8)}`;

function childPids(pid: number): number[] {
  const tasks = `/proc/${pid}/task`;
  if (!existsSync(tasks)) return [];
  return readdirSync(tasks).flatMap((task) => {
    const text = readFileSync(join(tasks, task, 'children'), 'utf8').trim();
    return text ? text.split(/\s+/).map(Number) : [];
  });
}

function dynamodbPid(stackPid: number): number | undefined {
  return childPids(stackPid).find((pid) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('DynamoDBLocal');
    } catch {
      return false;
    }
  });
}

/** VmHWM: the most memory the process has had resident, which the kernel keeps for us. */
function peakResidentMb(pid: number): number | undefined {
  try {
    const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Number(kb) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

export async function startBenchStack(environment: Record<string, string>): Promise<BenchStack> {
  const dataDirectory = mkdtempSync(join(tmpdir(), 'voice-bench-'));
  const child: ChildProcess = fork(new URL('./stack-process.ts', import.meta.url), [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
  });
  // Passed on as it comes, and read for the SDK's warning that a client's sockets are all in use.
  let socketWarnings = 0;
  child.stderr!.on('data', (chunk: Buffer) => {
    process.stderr.write(chunk);
    socketWarnings += chunk.toString().split('socket usage at capacity').length - 1;
  });
  const pending = new Map<number, Pending>();
  let nextId = 1;
  child.on('message', (message: { id: number; result?: unknown; error?: string }) => {
    const waiting = pending.get(message.id);
    pending.delete(message.id);
    if (message.error !== undefined) waiting?.reject(new Error(message.error));
    else waiting?.resolve(message.result);
  });
  child.on('exit', (code) => {
    for (const waiting of pending.values()) waiting.reject(new Error(`the stack process exited (${code})`));
    pending.clear();
  });
  const ask = <T>(request: WithoutId<StackRequest>): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      child.send({ ...request, id });
    });

  const started = await ask<{ url: string; endpoints: BenchStack['endpoints']; pid: number }>({
    type: 'start',
    environment,
    dataDirectory,
  });
  let issuer: LocalIssuer | undefined;
  return {
    ...started,
    async token(tenantId, role = 'admin') {
      issuer ??= await loadLocalIssuer(join(dataDirectory, 'local-issuer.json'));
      return issuer.mint({ tenantId, role });
    },
    profile: (window) => ask<WaitProfile>({ type: 'profile', ...(window ? { window } : {}) }),
    cpuProfile: ((action: 'start' | 'stop') =>
      ask({ type: 'cpu-profile', action })) as BenchStack['cpuProfile'],
    async peakMemory() {
      const stats = await ask<{ maxRssMb: number }>({ type: 'stats' });
      const java = dynamodbPid(started.pid);
      return { stackMb: stats.maxRssMb, dynamodbMb: java ? peakResidentMb(java) : undefined };
    },
    socketWarnings: () => socketWarnings,
    dynamodbCpuSeconds() {
      const java = dynamodbPid(started.pid);
      if (!java) return undefined;
      // Fields 14 and 15 of /proc/<pid>/stat: user and system time, in clock ticks (100 a second on Linux).
      const fields = readFileSync(`/proc/${java}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
      return (Number(fields[11]) + Number(fields[12])) / 100;
    },
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        await ask({ type: 'stop' }).catch(() => undefined);
        await exited;
      }
      rmSync(dataDirectory, { recursive: true, force: true });
    },
  };
}

/** A tenant's usage records of this month, read straight from the table behind the API. */
export async function usageRecords(
  stack: BenchStack,
  tenantId: string,
): Promise<Array<Record<string, unknown>>> {
  const client = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint: stack.endpoints.dynamodb,
      region: LOCAL_RESOURCES.region,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    }),
  );
  const month = new Date().toISOString().slice(0, 7);
  const items: Array<Record<string, unknown>> = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await client.send(
      new QueryCommand({
        TableName: LOCAL_RESOURCES.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': `TENANT#${tenantId}#USAGE#${month}` },
        ConsistentRead: true,
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  client.destroy();
  return items;
}
