// Replays dead-lettered usage records into the table; each record is counted once however often it is replayed.
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeUsageRecord, type UsageRecord } from './usage-records.ts';

export interface ReplayReport {
  recorded: number;
  duplicates: number;
  failed: number;
}

/** Replays every record file in the local dead-letter directory; a file is removed once its record is in. */
export async function replayDirectory(
  directory: string,
  write: (record: UsageRecord) => Promise<'recorded' | 'duplicate'> = writeUsageRecord,
): Promise<ReplayReport> {
  const report: ReplayReport = { recorded: 0, duplicates: 0, failed: 0 };
  if (!existsSync(directory)) return report;
  for (const name of readdirSync(directory)
    .filter((file) => file.endsWith('.json'))
    .sort()) {
    const file = join(directory, name);
    try {
      const outcome = await write(JSON.parse(readFileSync(file, 'utf8')) as UsageRecord);
      report[outcome === 'recorded' ? 'recorded' : 'duplicates'] += 1;
      rmSync(file, { force: true });
    } catch {
      // Left in place for the next round.
      report.failed += 1;
    }
  }
  return report;
}
