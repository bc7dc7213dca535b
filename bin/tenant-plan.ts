// `npm run tenant-plan -- <tenant-id> <plan>`: an operator puts a tenant on a plan, in AWS or on the local stack.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { TENANT_ID_PATTERN } from '../functions/http/auth.ts';
import { isPlanId, PLAN_IDS } from '../functions/tenants/plans.ts';
import { startDynamoDbLocal, type DynamoDbLocal } from '../local/dynamodb-local.ts';
import { defaultDataDirectory, ENDPOINTS_FILE, LOCAL_RESOURCES } from '../local/stack.ts';
import { ensureTable } from '../local/table.ts';

const usage = `Usage: npm run tenant-plan -- <tenant-id> <plan> [--new] [--data <dir>]
  <plan>      free | small_business | professional | enterprise
  --new       the tenant has nothing stored yet (setting its plan before its first sign-in)
  --data      the local stack's data directory (default $LOCAL_DATA_DIR, else .data/)
With TABLE_NAME set, the plan is written to that table: in AWS with your usual AWS credentials, or at
DYNAMODB_ENDPOINT when that is set. Without TABLE_NAME, to the local stack's table in --data, running or not.`;

/** A refusal the operator can act on: printed without a stack trace, with the usage when the arguments were wrong. */
class CommandError extends Error {
  constructor(
    message: string,
    readonly showUsage = false,
  ) {
    super(message);
  }
}

// The SDK's notice that Node 20 support ends in 2027 would bury the one line this prints.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

/** The running local stack holds its data directory; a second DynamoDB Local on the same files would corrupt them. */
function runningStack(dataDirectory: string): number | undefined {
  const lockFile = join(dataDirectory, 'stack.pid');
  if (!existsSync(lockFile)) return undefined;
  const pid = Number(readFileSync(lockFile, 'utf8'));
  if (!Number.isInteger(pid)) return undefined;
  try {
    process.kill(pid, 0);
    return pid;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM' ? pid : undefined;
  }
}

function useLocalTable(endpoint: string) {
  Object.assign(process.env, {
    TABLE_NAME: LOCAL_RESOURCES.tableName,
    AWS_REGION: LOCAL_RESOURCES.region,
    DYNAMODB_ENDPOINT: endpoint,
    // DynamoDB Local accepts any credentials.
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
  });
}

/**
 * Reaches the local stack's table: through the running stack's DynamoDB Local when `npm start` is up (it publishes
 * the address in its data directory), else by opening the data directory's database itself.
 */
async function openLocalTable(dataDirectory: string): Promise<DynamoDbLocal | undefined> {
  const pid = runningStack(dataDirectory);
  if (pid !== undefined) {
    const published = join(dataDirectory, ENDPOINTS_FILE);
    const endpoints = existsSync(published)
      ? (JSON.parse(readFileSync(published, 'utf8')) as { pid: number; dynamodb?: string })
      : undefined;
    if (endpoints?.pid !== pid || !endpoints.dynamodb) {
      throw new CommandError(
        `The local stack (process ${pid}) is using ${dataDirectory} and is still starting; try again in a moment.`,
      );
    }
    useLocalTable(endpoints.dynamodb);
    return undefined;
  }
  if (!existsSync(join(dataDirectory, 'dynamodb'))) {
    throw new CommandError(`${dataDirectory} holds no local stack data; run npm start once first.`);
  }
  const dynamodb = await startDynamoDbLocal({ dataDirectory: join(dataDirectory, 'dynamodb') });
  try {
    await ensureTable(dynamodb.endpoint, LOCAL_RESOURCES.tableName);
  } catch (error) {
    await dynamodb.stop();
    throw error;
  }
  useLocalTable(dynamodb.endpoint);
  return dynamodb;
}

/** Up to `limit` tenant ids found in the table, to name the choices when the one given is unknown. */
async function someTenants(limit = 20): Promise<string[]> {
  const { config } = await import('../functions/config.ts');
  const { dynamoDocumentClient } = await import('../functions/store/dynamodb.ts');
  const found = new Set<string>();
  let startKey: Record<string, unknown> | undefined;
  // A few pages are enough to remind an operator of the spelling; a full scan of a large table is not worth it.
  for (let page = 0; page < 5 && found.size < limit; page += 1) {
    const { Items, LastEvaluatedKey } = await dynamoDocumentClient().send(
      new ScanCommand({
        TableName: config().tableName,
        ProjectionExpression: 'pk',
        FilterExpression: 'begins_with(pk, :tenant)',
        ExpressionAttributeValues: { ':tenant': 'TENANT#' },
        ExclusiveStartKey: startKey,
      }),
    );
    for (const item of Items ?? []) {
      const id = String(item.pk).split('#')[1];
      if (id) found.add(id);
    }
    if (!LastEvaluatedKey) break;
    startKey = LastEvaluatedKey;
  }
  return [...found].sort().slice(0, limit);
}

/** Whether the tenant has anything stored: personalities, settings, usage, keys all live in its partition. */
async function tenantExists(tenantId: string): Promise<boolean> {
  const { config } = await import('../functions/config.ts');
  const { dynamoDocumentClient } = await import('../functions/store/dynamodb.ts');
  const { Items } = await dynamoDocumentClient().send(
    new QueryCommand({
      TableName: config().tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': `TENANT#${tenantId}` },
      Limit: 1,
    }),
  );
  return Boolean(Items?.length);
}

async function main() {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      new: { type: 'boolean', default: false },
      data: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(usage);
    return;
  }
  const [tenantId, plan, ...extra] = positionals;
  if (!tenantId || !plan || extra.length) throw new CommandError('Give a tenant id and a plan.', true);
  if (!isPlanId(plan)) {
    throw new CommandError(`Unknown plan "${plan}"; choose one of: ${PLAN_IDS.join(', ')}.`, true);
  }
  if (!TENANT_ID_PATTERN.test(tenantId)) {
    throw new CommandError(
      `"${tenantId}" is not a tenant id: 2–63 characters of a–z, 0–9 and -, starting with a letter or digit.`,
      true,
    );
  }

  let local: DynamoDbLocal | undefined;
  if (!process.env.TABLE_NAME) local = await openLocalTable(values.data ?? defaultDataDirectory());
  // The configuration checks settings every handler needs; this command touches only the table.
  process.env.SAMPLES_BUCKET ??= 'unused-by-tenant-plan';
  process.env.AUDIO_BUCKET ??= 'unused-by-tenant-plan';
  process.env.AUTH_ISSUER ??= 'unused-by-tenant-plan';
  process.env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';
  try {
    // Loaded only now: the logger reads its level when loaded, and the configuration must see the settings above.
    const { getTenantSettings, setTenantPlan } = await import('../functions/tenants/tenants.ts');
    const { config } = await import('../functions/config.ts');
    if (!values.new && !(await tenantExists(tenantId))) {
      const known = await someTenants();
      throw new CommandError(
        `No tenant "${tenantId}" in table ${config().tableName}: nothing is stored for it. ` +
          (known.length ? `Tenants found: ${known.join(', ')}. ` : 'The table holds no tenants yet. ') +
          'Pass --new to set the plan of a tenant that has not signed in yet.',
      );
    }
    const before = await getTenantSettings(tenantId);
    const after = await setTenantPlan(tenantId, plan);
    const limits = after.plan;
    const figure = (n: number | null) => (n === null ? 'unlimited' : n.toLocaleString('en-US'));
    console.log(
      [
        `Tenant ${tenantId} is on the ${limits.name} plan (${limits.id}); it was on ${before.plan.name}.`,
        `  voices: ${limits.voice === 'none' ? 'none (text only)' : limits.voice === 'default' ? 'default voices' : `custom voices too (${figure(limits.custom_voices)})`}`,
        `  characters a month: ${figure(limits.monthly_characters)} (hard limit ${figure(limits.hard_limit_characters)})`,
        `  requests a minute per API key: ${figure(limits.requests_per_minute)}`,
      ].join('\n'),
    );
  } finally {
    await local?.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  if (error instanceof CommandError && error.showUsage) console.error(`\n${usage}`);
  process.exit(1);
});
