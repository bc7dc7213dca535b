// Bad recordings through the real upload flow: registered, sent through the presigned POST to the samples bucket,
// judged by the S3-triggered validator. Each ends rejected with a reason a person can act on, and, as the validator
// keeps no recording it rejects, nothing of it is left in the bucket.
import { beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_RESOURCES } from '../../../local/stack.ts';
import { objectKeys } from '../../../functions/store/objects.ts';
import { call, freshTenant } from '../support.ts';
import { CONSENT, uploadRecordings, waitFor } from '../training-support.ts';
import { BAD_AUDIO, type BadAudio } from './bad-audio.ts';
import { objectsUnder } from './support.ts';

interface Reason {
  code: string;
  message: string;
  tip: string;
}

interface JudgedSample {
  id: string;
  status: 'pending' | 'valid' | 'rejected';
  file_name: string;
  report?: { verdict: string; size_bytes: number; reasons: Reason[] };
}

let tenant: Awaited<ReturnType<typeof freshTenant>>;
let personalityId: string;
const rejected: string[] = [];

beforeAll(async () => {
  tenant = await freshTenant();
  const created = await call('/api/admin/ai-personalities', {
    token: tenant.admin,
    json: { name: 'Listener' },
  });
  expect(created.status).toBe(201);
  personalityId = created.body.id;
});

const samplePath = (sampleId: string) =>
  `/api/admin/ai-personalities/${personalityId}/voice/samples/${sampleId}`;

describe('bad recordings are rejected by the sample validator', () => {
  it('has at least 15 kinds of bad recording', () => {
    expect(BAD_AUDIO.length).toBeGreaterThanOrEqual(15);
  });

  it.concurrent.each(BAD_AUDIO.map((audio) => [audio.name, audio] as const))(
    '%s',
    async (_name, audio: BadAudio) => {
      const bytes = await audio.bytes();

      const [sampleId] = await uploadRecordings(tenant.admin, personalityId, [
        { name: audio.fileName, bytes, contentType: audio.contentType },
      ]);
      const sample = await waitFor(
        `the verdict on ${audio.fileName}`,
        async () => (await call<JudgedSample>(samplePath(sampleId!), { token: tenant.admin })).body,
        (body) => body.status !== 'pending',
      );

      expect(sample).toMatchObject({ status: 'rejected', file_name: audio.fileName });
      expect(sample.report).toMatchObject({ verdict: 'rejected', size_bytes: bytes.length });
      const [first] = (sample.report?.reasons ?? []).filter((reason) => !reason.code.startsWith('warning_'));
      expect(audio.reasons, JSON.stringify(sample.report)).toContain(first?.code);
      expect(first?.message).toMatch(/\w{3}/);
      expect(first?.tip).toMatch(/\w{3}/);
      const key = objectKeys.sample(tenant.tenantId, personalityId, sampleId!);
      await waitFor(
        `${key} to be deleted`,
        () => objectsUnder(LOCAL_RESOURCES.samplesBucket, key),
        (objects) => objects.length === 0,
        10_000,
      );
      rejected.push(sampleId!);
    },
  );
});

describe('after the bad recordings', () => {
  it('none of them can train a voice, and the bucket holds nothing of them', async () => {
    expect(rejected).toHaveLength(BAD_AUDIO.length);

    const training = await call(`/api/admin/ai-personalities/${personalityId}/voice/train`, {
      token: tenant.admin,
      json: { sample_ids: rejected.slice(0, 25), provider: 'local', consent: CONSENT },
    });

    expect(training.status).toBe(400);
    expect(training.body.error.code).toBe('sample_not_valid');
    const listed = await call(`/api/admin/ai-personalities/${personalityId}/voice/samples`, {
      token: tenant.admin,
    });
    expect(listed.body.valid_seconds).toBe(0);
    expect(
      await objectsUnder(LOCAL_RESOURCES.samplesBucket, objectKeys.tenantPrefix('samples', tenant.tenantId)),
    ).toEqual([]);
  });
});
