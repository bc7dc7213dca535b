// A usage record the table will not take is not lost: it lands in the dead-letter directory, whole.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../local/ports.ts';

let directory: string;

beforeAll(async () => {
  directory = mkdtempSync(join(tmpdir(), 'voice-dlq-'));
  // A port nobody listens on: every write to the table fails, as when DynamoDB is unreachable.
  Object.assign(process.env, {
    TABLE_NAME: 'voice-personalities',
    SAMPLES_BUCKET: 'voice-samples',
    AUDIO_BUCKET: 'voice-audio',
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    DYNAMODB_ENDPOINT: `http://127.0.0.1:${await freePort()}`,
    AUTH_ISSUER: 'urn:test',
    USAGE_DLQ_DIR: directory,
  });
});

afterAll(() => rmSync(directory, { recursive: true, force: true }));

describe('usage dead letters', () => {
  it('keeps a record that could not be written, to be replayed', async () => {
    const { recordUsage, usageRecord } = await import('../../functions/usage/usage-records.ts');
    const record = usageRecord({
      tenant_id: 'dlq-tenant',
      personality_id: 'marcel',
      provider: 'google',
      model: 'neural2',
      voice_id: 'en-US-Neural2-D',
      characters: 42,
      audio_seconds: 2.5,
      cost_usd: 0.000672,
      cached: false,
      saved_usd: 0,
    });

    const outcome = await recordUsage(record);

    expect(outcome).toBe('dead_lettered');
    const file = join(directory, `${record.id}.json`);
    expect(existsSync(file)).toBe(true);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(record);
    expect(readdirSync(directory).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });
});
