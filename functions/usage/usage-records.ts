// Usage records and monthly counters, written together exactly once; a record the table will not take is kept
// in a dead-letter queue and replayed, never dropped.
import { randomUUID } from 'node:crypto';
import { logger } from '../powertools.ts';
import { table } from '../store/table.ts';
import { deadLetters } from './dead-letters.ts';

export interface UsageRecord {
  id: string;
  tenant_id: string;
  /** yyyy-mm of `created_at`, UTC. */
  month: string;
  created_at: string;
  personality_id?: string;
  provider: string;
  model: string;
  voice_id: string;
  characters: number;
  audio_seconds: number;
  cost_usd: number;
  cached: boolean;
  saved_usd: number;
  request_id?: string;
}

export type NewUsageRecord = Omit<UsageRecord, 'id' | 'month' | 'created_at'>;

export function usageRecord(fields: NewUsageRecord, now = new Date()): UsageRecord {
  const created_at = now.toISOString();
  return { ...fields, id: randomUUID(), created_at, month: created_at.slice(0, 7) };
}

export type RecordOutcome = 'recorded' | 'duplicate';

const ATTEMPTS = 4;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type Increments = ReturnType<typeof counterIncrements>;

function counterIncrements(record: UsageRecord) {
  return {
    requests: 1,
    characters: record.characters,
    audio_seconds: record.audio_seconds,
    cost_usd: record.cost_usd,
    cached_requests: record.cached ? 1 : 0,
    cached_characters: record.cached ? record.characters : 0,
    saved_usd: record.saved_usd,
  };
}

/**
 * Writes the record and bumps the tenant's `all` and per-provider counters in one transaction. The record's
 * create is conditional on its id being new, so a replayed record is counted once.
 */
export async function writeUsageRecord(record: UsageRecord): Promise<RecordOutcome> {
  const increments = counterIncrements(record);
  const { service } = table();
  const result = await service.transaction
    .write(({ usageRecords, usageCounters }) => [
      usageRecords.create(record).commit(),
      usageCounters
        .update({ tenant_id: record.tenant_id, month: record.month, scope: 'all' })
        .add(increments)
        .commit(),
      usageCounters
        .update({ tenant_id: record.tenant_id, month: record.month, scope: `provider#${record.provider}` })
        .add(increments)
        .commit(),
    ])
    .go();
  if (!result.canceled) return 'recorded';
  const [recordWrite] = result.data;
  if (recordWrite?.code === 'ConditionalCheckFailed') return 'duplicate';
  throw new Error(
    `Usage transaction cancelled: ${result.data.map((item) => item.code ?? 'None').join(', ')}`,
  );
}

/** Records a transaction writes at most, leaving room for their counters within DynamoDB's 100 actions. */
const RECORDS_PER_TRANSACTION = 48;

/** The counters these records bump (the tenant's `all` and per-provider, per month), each with the records' sum. */
function counterUpdates(records: UsageRecord[]) {
  const updates = new Map<string, { tenant_id: string; month: string; scope: string; add: Increments }>();
  for (const record of records) {
    for (const scope of ['all', `provider#${record.provider}`]) {
      const key = `${record.tenant_id}|${record.month}|${scope}`;
      const increments = counterIncrements(record);
      const known = updates.get(key);
      if (!known)
        updates.set(key, { tenant_id: record.tenant_id, month: record.month, scope, add: increments });
      else
        for (const name of Object.keys(increments) as Array<keyof Increments>)
          // Twelve decimals: a sum of dollars a character must not pick up binary noise (0.0048000000000000004).
          known.add[name] = Number((known.add[name] + increments[name]).toFixed(12));
    }
  }
  return [...updates.values()];
}

/**
 * Writes the records of one piece of speech and bumps each counter once for all of them, in one transaction: fewer
 * writes than one transaction a record, and no two of them contending for the same counters. If one of the records
 * is already there (a replay), they are written one by one instead, each counted once.
 */
async function writeUsageBatch(records: UsageRecord[]): Promise<RecordOutcome[]> {
  if (records.length === 1) return [await writeUsageRecord(records[0]!)];
  const { service } = table();
  const result = await service.transaction
    .write(({ usageRecords, usageCounters }) => [
      ...records.map((record) => usageRecords.create(record).commit()),
      ...counterUpdates(records).map(({ add, ...key }) => usageCounters.update(key).add(add).commit()),
    ])
    .go();
  if (!result.canceled) return records.map(() => 'recorded');
  // The items' answers in the order written: the records first, then the counters.
  const answers = result.data as Array<{ code?: string } | undefined>;
  if (answers.slice(0, records.length).some((item) => item?.code === 'ConditionalCheckFailed')) {
    const outcomes: RecordOutcome[] = [];
    for (const record of records) outcomes.push(await writeUsageRecord(record));
    return outcomes;
  }
  throw new Error(`Usage transaction cancelled: ${answers.map((item) => item?.code ?? 'None').join(', ')}`);
}

/**
 * Records usage, retrying a failed write a few times; after that the records go to the dead-letter queue, one
 * message each, to be replayed later. Only if the dead-letter queue also refuses does this throw.
 */
export async function recordUsages(records: UsageRecord[]): Promise<Array<RecordOutcome | 'dead_lettered'>> {
  const outcomes: Array<RecordOutcome | 'dead_lettered'> = [];
  for (let start = 0; start < records.length; start += RECORDS_PER_TRANSACTION) {
    const batch = records.slice(start, start + RECORDS_PER_TRANSACTION);
    let lastError: unknown;
    let written: RecordOutcome[] | undefined;
    for (let attempt = 1; attempt <= ATTEMPTS && !written; attempt += 1) {
      try {
        written = await writeUsageBatch(batch);
      } catch (error) {
        lastError = error;
        if (attempt < ATTEMPTS) await sleep(50 * 2 ** attempt);
      }
    }
    if (written) {
      outcomes.push(...written);
      continue;
    }
    for (const record of batch) {
      logger.error('usage record not written; sending it to the dead-letter queue', {
        usageRecordId: record.id,
        error: lastError as Error,
      });
      await deadLetters().send(record);
      outcomes.push('dead_lettered');
    }
  }
  return outcomes;
}

/** One record, as `recordUsages` writes several. */
export async function recordUsage(record: UsageRecord): Promise<RecordOutcome | 'dead_lettered'> {
  const [outcome] = await recordUsages([record]);
  return outcome!;
}
