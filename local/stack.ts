// The local AWS stand-in: DynamoDB Local, s3rver, the local issuer and the gateway, wired like the deployed stack.
import './polyfills.ts';
// Before any handler is imported: streaming handlers find the `awslambda` global the Lambda runtime would provide.
import './lambda-streaming.ts';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TENANT_ID_PATTERN } from '../functions/http/auth.ts';
import { routeList } from '../functions/http/routes.ts';
import { startDynamoDbLocal, type DynamoDbLocal } from './dynamodb-local.ts';
import { createGateway, type GatewayOptions } from './gateway.ts';
import { JWKS_PATH, LOCAL_AUDIENCE, LOCAL_ISSUER, loadLocalIssuer, type LocalIssuer } from './issuer.ts';
import { PortInUseError } from './ports.ts';
import { startS3Local, type S3Local } from './s3-local.ts';
import { ensureTable } from './table.ts';
import { startTrainingLocal } from './training.ts';

export const REPOSITORY_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** `.data/` in the repository, unless LOCAL_DATA_DIR names another place. */
export const defaultDataDirectory = () =>
  resolve(process.env.LOCAL_DATA_DIR ?? join(REPOSITORY_ROOT, '.data'));

export const LOCAL_RESOURCES = {
  tableName: 'voice-personalities',
  samplesBucket: 'voice-samples',
  audioBucket: 'voice-audio',
  region: 'us-east-1',
} as const;

export interface LocalStackOptions {
  /** Gateway port; 0 picks a free one. */
  port?: number;
  /** Where tables, objects and the issuer key live; default `.data/` in the repository. */
  dataDirectory?: string;
  /** Keep tables and objects in memory / a temporary directory, gone on stop. */
  memory?: boolean;
  logLevel?: string;
  onRequest?: GatewayOptions['onRequest'];
  /** Settings for the handlers beyond the stack's own (provider keys and endpoints, retry and breaker tuning). */
  environment?: Record<string, string>;
  /** The built console to serve at `/`; default console/dist in the repository. */
  consoleDirectory?: string;
  /** Tests only: shorter waits in the training state machine. */
  training?: { waitMs?: number; retryMs?: number };
  /** How often dead-lettered usage records are written again; default 30 s, as the queue's consumer would. */
  usageReplayIntervalMs?: number;
}

export interface LocalStack {
  url: string;
  /** Where a browser opens the console (the gateway serves it beside the API). */
  consoleUrl: string;
  port: number;
  dataDirectory: string;
  memory: boolean;
  issuer: LocalIssuer;
  endpoints: { dynamodb: string; s3: string; stepFunctions: string };
  /**
   * Fault tests: DynamoDB Local stopped, down for `downtimeMs`, and started again on the same port and data (needs
   * a stack on disk, not `memory`); dead-lettered usage records are replayed as soon as it answers again.
   */
  restartDynamoDb(options?: { downtimeMs?: number }): Promise<void>;
  stop(): Promise<void>;
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      reject(error.code === 'EADDRINUSE' ? new PortInUseError(port) : error);
    };
    const onListening = () => {
      server.off('error', onError);
      const address = server.address();
      resolvePort(typeof address === 'object' && address ? address.port : port);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, '127.0.0.1');
  });
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** One stack per data directory: two DynamoDB Local processes on one database file corrupt it. */
function claimDataDirectory(dataDirectory: string): () => void {
  const lockFile = join(dataDirectory, 'stack.pid');
  if (existsSync(lockFile)) {
    const pid = Number(readFileSync(lockFile, 'utf8'));
    if (Number.isInteger(pid) && pid !== process.pid && isRunning(pid)) {
      throw new Error(
        `Another local stack (process ${pid}) is using ${dataDirectory}. Stop it, or start with --memory or --data <dir>.`,
      );
    }
  }
  writeFileSync(lockFile, String(process.pid));
  return () => rmSync(lockFile, { force: true });
}

/** Where operator commands (`npm run tenant-plan`) find the running stack's table instead of opening its files. */
export const ENDPOINTS_FILE = 'stack-endpoints.json';

function publishEndpoints(dataDirectory: string, endpoints: { url: string; dynamodb: string }): () => void {
  const file = join(dataDirectory, ENDPOINTS_FILE);
  writeFileSync(file, JSON.stringify({ pid: process.pid, ...endpoints }));
  return () => rmSync(file, { force: true });
}

let running = false;

/** The console's /config.json on this machine: the API is the same origin and sign-in is the local issuer's. */
const LOCAL_CONSOLE_CONFIG = { apiUrl: '', auth: { mode: 'local' } };
/** Console tokens are short-lived: the console asks for a new one as each nears its end. */
const CONSOLE_TOKEN_SECONDS = 3600;

/**
 * The local console's sign-in: any tenant, either role, no password. This exists only in the local stack, which
 * listens on 127.0.0.1; the AWS deployment has no such endpoint and signs people in with Cognito.
 */
async function localSignIn(
  issuer: LocalIssuer,
  tenantId: string,
  role: string,
): Promise<{ status: number; body: unknown }> {
  const invalid = (code: string, message: string) => ({ status: 400, body: { error: { code, message } } });
  if (!TENANT_ID_PATTERN.test(tenantId))
    return invalid(
      'invalid_tenant',
      `Invalid tenant id ${JSON.stringify(tenantId)}: use 2–63 lowercase letters, digits or hyphens.`,
    );
  if (role !== 'admin' && role !== 'member') return invalid('invalid_role', 'role must be admin or member.');
  const token = await issuer.mint({ tenantId, role, ttlSeconds: CONSOLE_TOKEN_SECONDS });
  return { status: 200, body: { token, tenant_id: tenantId, role, expires_in: CONSOLE_TOKEN_SECONDS } };
}

/**
 * Starts the stack in this process. Handlers read their configuration from the environment once,
 * as a Lambda cold start does, so a process holds one stack at a time.
 */
export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  if (running) throw new Error('A local stack is already running in this process.');
  running = true;
  const memory = options.memory ?? false;
  const dataDirectory = resolve(options.dataDirectory ?? defaultDataDirectory());
  mkdirSync(dataDirectory, { recursive: true });

  const cleanups: Array<() => Promise<void> | void> = [];
  const stop = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
    cleanups.length = 0;
    running = false;
  };

  try {
    const issuer = await loadLocalIssuer(join(dataDirectory, 'local-issuer.json'));
    // The gateway's port is claimed first, so a clash is reported before anything else starts.
    const gateway = createGateway({
      routes: routeList,
      root: REPOSITORY_ROOT,
      staticJson: { [JWKS_PATH]: issuer.jwks, '/config.json': LOCAL_CONSOLE_CONFIG },
      consoleDirectory: options.consoleDirectory ?? join(REPOSITORY_ROOT, 'console', 'dist'),
      localSignIn: (tenantId, role) => localSignIn(issuer, tenantId, role),
      ...(options.onRequest ? { onRequest: options.onRequest } : {}),
    });
    const port = await listen(gateway, options.port ?? 3000);
    cleanups.push(
      () =>
        new Promise<void>((done) => {
          gateway.close(() => done());
          gateway.closeAllConnections();
        }),
    );
    if (!memory) cleanups.push(claimDataDirectory(dataDirectory));

    const [dynamodbStart, s3Start] = await Promise.allSettled([
      startDynamoDbLocal(memory ? {} : { dataDirectory: join(dataDirectory, 'dynamodb') }),
      startS3Local({
        ...(memory ? {} : { dataDirectory: join(dataDirectory, 's3') }),
        buckets: [LOCAL_RESOURCES.samplesBucket, LOCAL_RESOURCES.audioBucket],
      }),
    ]);
    for (const started of [dynamodbStart, s3Start]) {
      if (started.status === 'fulfilled') cleanups.push(() => started.value.stop());
    }
    if (dynamodbStart.status === 'rejected') throw dynamodbStart.reason;
    if (s3Start.status === 'rejected') throw s3Start.reason;
    const dynamodb: DynamoDbLocal = dynamodbStart.value;
    const s3: S3Local = s3Start.value;

    const url = `http://127.0.0.1:${port}`;
    Object.assign(process.env, {
      TABLE_NAME: LOCAL_RESOURCES.tableName,
      SAMPLES_BUCKET: LOCAL_RESOURCES.samplesBucket,
      AUDIO_BUCKET: LOCAL_RESOURCES.audioBucket,
      AWS_REGION: LOCAL_RESOURCES.region,
      DYNAMODB_ENDPOINT: dynamodb.endpoint,
      S3_ENDPOINT: s3.endpoint,
      // s3rver's fixed credentials; DynamoDB Local accepts any.
      AWS_ACCESS_KEY_ID: 'S3RVER',
      AWS_SECRET_ACCESS_KEY: 'S3RVER',
      AUTH_ISSUER: LOCAL_ISSUER,
      AUTH_JWKS_URL: `${url}${JWKS_PATH}`,
      AUTH_AUDIENCE: LOCAL_AUDIENCE,
      POWERTOOLS_SERVICE_NAME: 'voice-personalities',
      POWERTOOLS_LOG_LEVEL: options.logLevel ?? process.env.LOG_LEVEL ?? 'WARN',
      APP_VERSION: process.env.APP_VERSION ?? packageVersion(),
      // Offline speech: espeak-ng speaks whenever no configured provider can, choosing a voice by gender.
      LOCAL_TTS: process.env.LOCAL_TTS ?? 'true',
      DEFAULT_VOICE: process.env.DEFAULT_VOICE ?? 'local:auto',
      USAGE_DLQ_DIR: join(dataDirectory, 'usage-dead-letters'),
      // A laptop's receivers listen on http://localhost.
      WEBHOOK_ALLOW_INSECURE: 'true',
      ...options.environment,
    });
    await ensureTable(dynamodb.endpoint, LOCAL_RESOURCES.tableName);
    const training = await startTrainingLocal({
      root: REPOSITORY_ROOT,
      region: LOCAL_RESOURCES.region,
      tableName: LOCAL_RESOURCES.tableName,
      dynamodbEndpoint: dynamodb.endpoint,
      s3,
      samplesBucket: LOCAL_RESOURCES.samplesBucket,
      ...options.training,
    });
    cleanups.push(() => training.stop());
    Object.assign(process.env, {
      TRAINING_STATE_MACHINE_ARN: training.stateMachineArn,
      STEP_FUNCTIONS_ENDPOINT: training.stepFunctions.endpoint,
    });
    const replay = await replayUsageDeadLetters(
      join(dataDirectory, 'usage-dead-letters'),
      options.usageReplayIntervalMs ?? 30_000,
    );
    cleanups.push(replay.stop);
    if (!memory) cleanups.push(publishEndpoints(dataDirectory, { url, dynamodb: dynamodb.endpoint }));

    return {
      url,
      consoleUrl: `http://localhost:${port}/`,
      port,
      dataDirectory,
      memory,
      issuer,
      endpoints: {
        dynamodb: dynamodb.endpoint,
        s3: s3.endpoint,
        stepFunctions: training.stepFunctions.endpoint,
      },
      restartDynamoDb: async (restart) => {
        if (memory) throw new Error('A stack in memory loses its tables when DynamoDB Local restarts.');
        await dynamodb.restart(restart);
        replay.now();
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** What SQS and its consumer do in AWS: dead-lettered usage records are written again, now and every interval. */
async function replayUsageDeadLetters(
  directory: string,
  intervalMs: number,
): Promise<{ now(): void; stop(): void }> {
  const { replayDirectory } = await import('../functions/usage/replay.ts');
  // One round at a time: two rounds over the same files would only race to count duplicates.
  let running: Promise<unknown> = replayDirectory(directory).catch(() => undefined);
  const now = () => {
    running = running.then(() => replayDirectory(directory)).catch(() => undefined);
  };
  const timer = setInterval(now, intervalMs);
  timer.unref();
  return { now, stop: () => clearInterval(timer) };
}

function packageVersion(): string {
  const manifest = JSON.parse(readFileSync(join(REPOSITORY_ROOT, 'package.json'), 'utf8')) as {
    version?: string;
  };
  return manifest.version ?? 'dev';
}
