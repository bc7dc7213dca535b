// Voice cloning end to end on the local stack: presigned uploads, the S3-triggered validator, the state machine from
// the ASL file, the ElevenLabs simulator as the provider, and every way a training can fail without leaving a trace.
import { ListExecutionsCommand, SFNClient } from '@aws-sdk/client-sfn';
import { beforeEach, describe, expect, inject, it } from 'vitest';
import { call, freshTenant, simulator } from './support.ts';
import {
  CONSENT,
  finishedTraining,
  judgedSamples,
  noiseWav,
  speechWav,
  uploadRecordings,
} from './training-support.ts';

const BASE = '/api/admin/ai-personalities';
let tenant: Awaited<ReturnType<typeof freshTenant>>;

beforeEach(async () => {
  tenant = await freshTenant();
});

async function personality(): Promise<string> {
  const created = await call(BASE, {
    token: tenant.admin,
    json: {
      name: 'Cloner',
      traits: { gender: 'female' },
      voice_config: { provider: 'google', voice_id: 'en-US-Neural2-F' },
    },
  });
  return created.body.id;
}

async function twoValidSamples(personalityId: string): Promise<string[]> {
  const ids = await uploadRecordings(tenant.admin, personalityId, [
    { name: 'first take.wav', bytes: await speechWav(35) },
    { name: 'second take.wav', bytes: await speechWav(36) },
  ]);
  const judged = await judgedSamples(tenant.admin, personalityId);
  expect(judged.samples.map((sample: { status: string }) => sample.status)).toEqual(['valid', 'valid']);
  return ids;
}

const train = (personalityId: string, body: Record<string, unknown>) =>
  call(`${BASE}/${personalityId}/voice/train`, { token: tenant.admin, json: { consent: CONSENT, ...body } });

async function cloneRequests(jobId: string) {
  return (await simulator('elevenlabs').requests()).filter(
    (request) => request.path === '/v1/voices/add' && JSON.stringify(request.body).includes(jobId),
  );
}

describe('voice cloning', () => {
  it('uploads, validates, trains, speaks with the new voice, and deletes it', async () => {
    const personalityId = await personality();
    const sampleIds = await twoValidSamples(personalityId);

    const started = await train(personalityId, { sample_ids: sampleIds, provider: 'elevenlabs' });
    expect(started.status).toBe(202);
    const status = await finishedTraining(tenant.admin, personalityId);
    expect(status).toMatchObject({
      status: 'ready',
      progress: 100,
      provider: 'elevenlabs',
      training_job_id: started.body.training_job_id,
    });
    const [clone] = await cloneRequests(started.body.training_job_id);
    expect(
      (clone?.body as { files: Array<{ fileName: string }> }).files.map((file) => file.fileName),
    ).toEqual(['first take.wav', 'second take.wav']);

    const spoken = await call(`${BASE}/${personalityId}/voice/generate`, {
      token: tenant.admin,
      json: { text: 'This is my new voice.' },
    });
    expect(spoken.body).toMatchObject({
      provider: 'elevenlabs',
      voice_id: status.voice_id,
      fell_back: false,
    });
    // Its previous voice is now its fallback, after it in the chain: nothing was passed over.
    expect(spoken.body.fallback_reasons).toEqual([]);
    expect(await simulator('elevenlabs').requests(status.voice_id)).toContainEqual(
      expect.objectContaining({ method: 'POST', text: 'This is my new voice.' }),
    );

    const deleted = await call(`${BASE}/${personalityId}/voice`, { method: 'DELETE', token: tenant.admin });
    expect(deleted.status).toBe(200);
    expect(deleted.body.voice_config).toMatchObject({ provider: 'google', voice_id: 'en-US-Neural2-F' });
    expect(
      (
        await fetch(`${inject('simulatorUrls').elevenlabs}/v1/voices/${status.voice_id}`, {
          headers: { 'xi-api-key': 'k' },
        })
      ).status,
    ).toBe(404);
    const after = await call(`${BASE}/${personalityId}/voice/status`, { token: tenant.admin });
    expect(after.body).toMatchObject({ status: 'none', voice_id: null });
  });

  it('trains with the local provider’s voice profile when asked, and says the profile speaks', async () => {
    const personalityId = await personality();
    const sampleIds = await twoValidSamples(personalityId);

    await train(personalityId, { sample_ids: sampleIds, provider: 'local' });
    const status = await finishedTraining(tenant.admin, personalityId);
    const spoken = await call(`${BASE}/${personalityId}/voice/generate`, {
      token: tenant.admin,
      json: { text: 'A profile, not a clone.' },
    });

    expect(status.status).toBe('ready');
    expect(status.voice_id).toMatch(/^profile:/);
    expect(spoken.body).toMatchObject({ provider: 'local', voice_id: status.voice_id });
  });
});

describe('a training that fails leaves nothing behind', () => {
  it('is failed with the provider’s reason when it rejects the clone, and the old voice speaks again', async () => {
    const personalityId = await personality();
    const sampleIds = await twoValidSamples(personalityId);
    await simulator('elevenlabs').setState({ cloneRejection: 'The audio quality is too low to clone.' });
    try {
      const started = await train(personalityId, { sample_ids: sampleIds, provider: 'elevenlabs' });
      const status = await finishedTraining(tenant.admin, personalityId);

      expect(status).toMatchObject({ status: 'failed', training_job_id: started.body.training_job_id });
      expect(status.error.message).toContain('The audio quality is too low to clone.');
    } finally {
      await simulator('elevenlabs').setState({ cloneRejection: null });
    }
    const current = await call(`${BASE}/${personalityId}`, { token: tenant.admin });
    expect(current.body.voice_config).toMatchObject({
      provider: 'google',
      voice_id: 'en-US-Neural2-F',
      status: 'none',
    });
  });

  it('gives up on a voice that never becomes ready, and deletes it at the provider', async () => {
    const personalityId = await personality();
    const sampleIds = await twoValidSamples(personalityId);
    await simulator('elevenlabs').setState({ cloneRequiresVerification: true });
    let started;
    try {
      started = await train(personalityId, { sample_ids: sampleIds, provider: 'elevenlabs' });
      const status = await finishedTraining(tenant.admin, personalityId);
      expect(status.status).toBe('failed');
      expect(status.error.code).toBe('VoiceNotReadyInTime');
    } finally {
      await simulator('elevenlabs').setState({ cloneRequiresVerification: null });
    }
    const requests = await simulator('elevenlabs').requests();
    const created = requests.find(
      (request) =>
        request.path === '/v1/voices/add' &&
        JSON.stringify(request.body).includes(started.body.training_job_id),
    );
    expect(created).toBeDefined();
    const deletions = requests.filter((request) => request.method === 'DELETE');
    const statusLooks = await call(`${BASE}/${personalityId}`, { token: tenant.admin });
    expect(statusLooks.body.voice_config.voice_id).toBe('en-US-Neural2-F');
    expect(deletions.length).toBeGreaterThan(0);
    const voices = await (
      await fetch(`${inject('simulatorUrls').elevenlabs}/v2/voices?page_size=100`, {
        headers: { 'xi-api-key': 'k' },
      })
    ).json();
    expect(JSON.stringify(voices)).not.toContain(started.body.training_job_id);
  });
});

describe('training is refused, clearly, when it should not start', () => {
  it('allows one training per tenant an hour (429 with Retry-After)', async () => {
    const personalityId = await personality();
    const sampleIds = await twoValidSamples(personalityId);
    await train(personalityId, { sample_ids: sampleIds, provider: 'local' });
    await finishedTraining(tenant.admin, personalityId);
    await call(`${BASE}/${personalityId}/voice`, { method: 'DELETE', token: tenant.admin });

    const again = await train(personalityId, {
      sample_ids: sampleIds,
      provider: 'local',
      voice_name: 'Second try',
    });

    expect(again.status).toBe(429);
    expect(again.body.error.code).toBe('training_rate_limited');
    expect(Number(again.headers.get('retry-after'))).toBeGreaterThan(3000);
  });

  it('starts one execution for a double submit and answers both with the same job', async () => {
    const personalityId = await personality();
    const sampleIds = await twoValidSamples(personalityId);

    const [first, second] = await Promise.all([
      train(personalityId, { sample_ids: sampleIds, provider: 'elevenlabs' }),
      train(personalityId, { sample_ids: sampleIds, provider: 'elevenlabs' }),
    ]);
    await finishedTraining(tenant.admin, personalityId);

    expect([first.status, second.status]).toEqual([202, 202]);
    expect(second.body.training_job_id).toBe(first.body.training_job_id);
    const client = new SFNClient({
      endpoint: inject('stepFunctionsEndpoint'),
      region: 'us-east-1',
      credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    });
    const machines = await client.send(
      new ListExecutionsCommand({ stateMachineArn: await stateMachineArn(client) }),
    );
    expect(
      machines.executions?.filter((execution) => execution.name === `vt-${first.body.training_job_id}`),
    ).toHaveLength(1);
    expect(await cloneRequests(first.body.training_job_id)).toHaveLength(1);
  });

  it('refuses 30 s of samples, naming the minimum', async () => {
    const personalityId = await personality();
    const [sampleId] = await uploadRecordings(tenant.admin, personalityId, [
      { name: 'short.wav', bytes: await speechWav(30) },
    ]);
    await judgedSamples(tenant.admin, personalityId);

    const response = await train(personalityId, { sample_ids: [sampleId] });

    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('not_enough_audio');
    expect(response.body.error.message).toContain('at least 60 s');
  });

  it('refuses a rejected sample among the ids, naming it and why', async () => {
    const personalityId = await personality();
    const ids = await uploadRecordings(tenant.admin, personalityId, [
      { name: 'good.wav', bytes: await speechWav(70) },
      { name: 'hiss.wav', bytes: noiseWav(20) },
    ]);
    const judged = await judgedSamples(tenant.admin, personalityId);
    const hiss = judged.samples.find((sample: { file_name: string }) => sample.file_name === 'hiss.wav');
    expect(hiss.status).toBe('rejected');

    const response = await train(personalityId, { sample_ids: ids });

    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('sample_not_valid');
    expect(response.body.error.message).toContain(ids[1]);
    expect(response.body.error.message).toContain('hiss.wav');
  });

  it('refuses a training without the speaker’s consent', async () => {
    const personalityId = await personality();

    const response = await call(`${BASE}/${personalityId}/voice/train`, {
      token: tenant.admin,
      json: { sample_ids: ['s-0123456789abcdef'] },
    });

    expect(response.status).toBe(400);
    expect(response.body.error.message).toContain('consent');
  });

  it('rejects and deletes an upload over 10 MB, which the local S3 does not stop', async () => {
    const personalityId = await personality();
    const big = await speechWav(230);
    expect(big.length).toBeGreaterThan(10 * 1024 * 1024);

    await uploadRecordings(tenant.admin, personalityId, [{ name: 'long.wav', bytes: big }]);
    const judged = await judgedSamples(tenant.admin, personalityId);

    expect(judged.samples[0].status).toBe('rejected');
    expect(judged.samples[0].report.reasons[0].code).toBe('too_large');
  });
});

async function stateMachineArn(client: SFNClient): Promise<string> {
  const { ListStateMachinesCommand } = await import('@aws-sdk/client-sfn');
  const machines = await client.send(new ListStateMachinesCommand({})).catch(() => undefined);
  return (
    machines?.stateMachines?.[0]?.stateMachineArn ??
    'arn:aws:states:us-east-1:000000000000:stateMachine:voice-training'
  );
}
