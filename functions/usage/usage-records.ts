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

/**
 * Records usage, retrying a failed write a few times; after that the record goes to the dead-letter queue to be
 * replayed later. Only if the dead-letter queue also refuses does this throw.
 */
export async function recordUsage(record: UsageRecord): Promise<RecordOutcome | 'dead_lettered'> {
  let lastError: unknown;
  for (let attempt = 1; attempt <= ATTEMPTS; attempt += 1) {
    try {
      return await writeUsageRecord(record);
    } catch (error) {
      lastError = error;
      if (attempt < ATTEMPTS) await sleep(50 * 2 ** attempt);
    }
  }
  logger.error('usage record not written; sending it to the dead-letter queue', {
    usageRecordId: record.id,
    error: lastError as Error,
  });
  await deadLetters().send(record);
  return 'dead_lettered';
}
