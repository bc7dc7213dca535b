// Usage records into DynamoDB Local: a reply's records written together, and dead-lettered ones replayed; each
// counted once, however often it is written.
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { LOCAL_RESOURCES } from '../../local/stack.ts';
import { usageCounter, usageRecords } from './support.ts';

let directory: string;

beforeAll(() => {
  directory = mkdtempSync(join(tmpdir(), 'voice-replay-'));
  Object.assign(process.env, {
    TABLE_NAME: LOCAL_RESOURCES.tableName,
    SAMPLES_BUCKET: LOCAL_RESOURCES.samplesBucket,
    AUDIO_BUCKET: LOCAL_RESOURCES.audioBucket,
    AWS_REGION: LOCAL_RESOURCES.region,
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    DYNAMODB_ENDPOINT: inject('dynamodbEndpoint'),
    AUTH_ISSUER: 'urn:test',
  });
});

afterAll(() => rmSync(directory, { recursive: true, force: true }));

describe('usage replay', () => {
  it('writes each dead-lettered record and bumps the counters once, even when replayed twice', async () => {
    const { usageRecord } = await import('../../functions/usage/usage-records.ts');
    const { replayDirectory } = await import('../../functions/usage/replay.ts');
    const tenantId = `t-${randomUUID().slice(0, 12)}`;
    const records = [1, 2].map((n) =>
      usageRecord({
        tenant_id: tenantId,
        provider: 'polly',
        model: 'neural',
        voice_id: 'Joanna',
        characters: 100 * n,
        audio_seconds: n,
        cost_usd: 0.0016 * n,
        cached: false,
        saved_usd: 0,
      }),
    );
    mkdirSync(directory, { recursive: true });
    const spill = () =>
      records.forEach((record) =>
        writeFileSync(join(directory, `${record.id}.json`), JSON.stringify(record)),
      );

    spill();
    const first = await replayDirectory(directory);
    spill();
    const second = await replayDirectory(directory);

    expect(first).toEqual({ recorded: 2, duplicates: 0, failed: 0 });
    expect(second).toEqual({ recorded: 0, duplicates: 2, failed: 0 });
    expect(readdirSync(directory)).toEqual([]);
    expect(await usageRecords(tenantId)).toHaveLength(2);
    expect(await usageCounter(tenantId)).toMatchObject({ requests: 2, characters: 300 });
    expect((await usageCounter(tenantId))?.cost_usd).toBeCloseTo(0.0048, 6);
    expect(await usageCounter(tenantId, 'provider#polly')).toMatchObject({ requests: 2 });
  });

  it("writes a reply's records together and sums them into its counters once; a replayed one is not counted again", async () => {
    const { recordUsages, usageRecord } = await import('../../functions/usage/usage-records.ts');
    const tenantId = `t-${randomUUID().slice(0, 12)}`;
    const reply = [1, 2, 3].map((n) =>
      usageRecord({
        tenant_id: tenantId,
        provider: 'google',
        model: 'neural2',
        voice_id: 'en-US-Neural2-D',
        characters: 10 * n,
        audio_seconds: 0.7 * n,
        cost_usd: 0.00016 * n,
        cached: n === 3,
        saved_usd: 0,
      }),
    );
    const later = usageRecord({ ...reply[0]!, characters: 5 });

    const first = await recordUsages(reply);
    const again = await recordUsages([reply[1]!, later]);

    expect(first).toEqual(['recorded', 'recorded', 'recorded']);
    expect(again).toEqual(['duplicate', 'recorded']);
    expect(await usageRecords(tenantId)).toHaveLength(4);
    expect(await usageCounter(tenantId)).toMatchObject({
      requests: 4,
      characters: 65,
      cached_requests: 1,
      cached_characters: 30,
    });
    expect((await usageCounter(tenantId))?.cost_usd).toBe(0.00112);
    expect(await usageCounter(tenantId, 'provider#google')).toMatchObject({ requests: 4, characters: 65 });
  });
});
