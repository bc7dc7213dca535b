// Webhooks end to end on the local stack: a receiver on this machine gets signed events, failures are retried with
// backoff and recorded, and trainings announce how they ended.
import { DeleteObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { LOCAL_RESOURCES } from '../../local/stack.ts';
import { verifyWebhookSignature } from '../../functions/webhooks/signing.ts';
import { call, freshTenant, tableClient, tenantItems } from './support.ts';
import { closeReceivers, startReceiver, type Receiver, type ReceivedRequest } from './webhook-receiver.ts';
import {
  CONSENT,
  finishedTraining,
  judgedSamples,
  speechWav,
  uploadRecordings,
  waitFor,
} from './training-support.ts';

let tenant: Awaited<ReturnType<typeof freshTenant>>;

beforeEach(async () => {
  tenant = await freshTenant();
});

afterEach(closeReceivers);

/** Points the tenant's webhooks at the URL and returns the signing secret from the answer. */
async function setWebhookUrl(url: string): Promise<string> {
  const answer = await call('/api/admin/tenant/settings', {
    method: 'PUT',
    token: tenant.admin,
    json: { webhook_url: url },
  });
  expect(answer.status).toBe(200);
  expect(answer.body.webhook_secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
  return answer.body.webhook_secret;
}

const sendTest = () => call('/api/admin/webhooks/test', { method: 'POST', token: tenant.admin });

async function deliveries(token = tenant.admin): Promise<any[]> {
  const answer = await call('/api/admin/webhooks/deliveries', { token });
  expect(answer.status).toBe(200);
  return answer.body.deliveries;
}

/** The delivery once it is no longer pending (delivered or failed). */
async function settledDelivery(deliveryId: string, timeoutMs = 30_000): Promise<any> {
  return waitFor(
    `delivery ${deliveryId} to settle`,
    async () => (await deliveries()).find((delivery) => delivery.id === deliveryId),
    (delivery) => delivery !== undefined && delivery.status !== 'pending',
    timeoutMs,
  );
}

async function requestsFor(receiver: Receiver, count: number): Promise<ReceivedRequest[]> {
  return waitFor(
    `${count} webhook request(s)`,
    async () => [...receiver.requests],
    (requests) => requests.length >= count,
  );
}

describe('webhook deliveries', () => {
  it('sends a signed test event the receiver can verify, once, and lists it as delivered', async () => {
    const receiver = await startReceiver();
    const secret = await setWebhookUrl(receiver.url);

    const sent = await sendTest();
    expect(sent.status).toBe(202);
    const deliveryId: string = sent.body.delivery_id;
    const [request] = await requestsFor(receiver, 1);
    const delivery = await settledDelivery(deliveryId);

    expect(request!.method).toBe('POST');
    expect(request!.headers['content-type']).toBe('application/json');
    expect(request!.headers['user-agent']).toMatch(/^voice-personalities-webhooks\//);
    expect(request!.headers['webhook-id']).toBe(deliveryId);
    expect(Math.abs(Number(request!.headers['webhook-timestamp']) - Date.now() / 1000)).toBeLessThan(60);
    expect(verifyWebhookSignature(secret, request!.headers, request!.body)).toBe(true);
    const event = JSON.parse(request!.body);
    expect(event).toEqual({
      id: deliveryId,
      type: 'webhook.test',
      created_at: expect.any(String),
      tenant_id: tenant.tenantId,
      data: { message: expect.any(String) },
    });
    expect(delivery).toMatchObject({
      id: deliveryId,
      event_type: 'webhook.test',
      url: receiver.url,
      status: 'delivered',
      attempts: 1,
      last_status_code: 200,
      last_error: null,
      next_attempt_at: null,
      delivered_at: expect.any(String),
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(receiver.requests).toHaveLength(1);
  });

  it('keeps deliveries to their tenant and webhook routes to admins', async () => {
    const receiver = await startReceiver();
    await setWebhookUrl(receiver.url);
    const sent = await sendTest();
    await settledDelivery(sent.body.delivery_id);
    const other = await freshTenant();

    expect(await deliveries(other.admin)).toEqual([]);
    const byMember = await call('/api/admin/webhooks/test', { method: 'POST', token: tenant.member });
    expect(byMember.status).toBe(403);
    const rotateByMember = await call('/api/admin/webhooks/secret', { method: 'POST', token: tenant.member });
    expect(rotateByMember.status).toBe(403);
  });

  it('lists deliveries newest first', async () => {
    const receiver = await startReceiver();
    await setWebhookUrl(receiver.url);

    const first = await sendTest();
    const second = await sendTest();
    await settledDelivery(second.body.delivery_id);

    const ids = (await deliveries()).map((delivery) => delivery.id);
    expect(ids).toEqual([second.body.delivery_id, first.body.delivery_id]);
  });

  it('retries a receiver that answers 500 twice, and records the delivery on the third attempt', async () => {
    const receiver = await startReceiver((nth) => (nth <= 2 ? 500 : 200));
    const secret = await setWebhookUrl(receiver.url);

    const sent = await sendTest();
    const delivery = await settledDelivery(sent.body.delivery_id);

    expect(delivery).toMatchObject({ status: 'delivered', attempts: 3, last_status_code: 200 });
    expect(receiver.requests).toHaveLength(3);
    // Every attempt carries the same event, freshly signed.
    expect(new Set(receiver.requests.map((request) => request.body)).size).toBe(1);
    expect(new Set(receiver.requests.map((request) => request.headers['webhook-id']))).toEqual(
      new Set([sent.body.delivery_id]),
    );
    for (const request of receiver.requests)
      expect(verifyWebhookSignature(secret, request.headers, request.body)).toBe(true);
  });

  it('gives up after four attempts at a receiver that always answers 500', async () => {
    const receiver = await startReceiver(() => 500);
    await setWebhookUrl(receiver.url);

    const sent = await sendTest();
    const delivery = await settledDelivery(sent.body.delivery_id);

    expect(delivery).toMatchObject({
      status: 'failed',
      attempts: 4,
      last_status_code: 500,
      last_error: 'answered 500',
      next_attempt_at: null,
      delivered_at: null,
    });
    // Nothing of the receiver's answer is kept.
    expect(JSON.stringify(delivery)).not.toContain('receiver says hi');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(receiver.requests).toHaveLength(4);
  });

  it('counts a receiver that does not answer in time as a failed attempt', async () => {
    const receiver = await startReceiver(() => 'hang');
    await setWebhookUrl(receiver.url);

    const sent = await sendTest();
    const delivery = await settledDelivery(sent.body.delivery_id, 45_000);

    expect(delivery).toMatchObject({ status: 'failed', attempts: 4, last_status_code: null });
    expect(delivery.last_error).toMatch(/no answer within 2000 ms/);
    expect(receiver.requests).toHaveLength(4);
  });

  it('does not follow a redirect away from the URL the tenant gave', async () => {
    const target = await startReceiver();
    const redirecting = await startReceiver(() => ({ status: 307, headers: { location: target.url } }));
    await setWebhookUrl(redirecting.url);

    const sent = await sendTest();
    const delivery = await settledDelivery(sent.body.delivery_id);

    expect(delivery).toMatchObject({ status: 'failed', attempts: 4, last_status_code: 307 });
    expect(delivery.last_error).toContain('redirects are not followed');
    expect(redirecting.requests).toHaveLength(4);
    expect(target.requests).toHaveLength(0);
  });

  it('signs with the new secret once it is rotated, and no longer with the old one', async () => {
    const receiver = await startReceiver();
    const oldSecret = await setWebhookUrl(receiver.url);
    await settledDelivery((await sendTest()).body.delivery_id);

    const rotated = await call('/api/admin/webhooks/secret', { method: 'POST', token: tenant.admin });
    expect(rotated.status).toBe(200);
    const newSecret: string = rotated.body.webhook_secret;
    await settledDelivery((await sendTest()).body.delivery_id);

    expect(newSecret).toMatch(/^whsec_/);
    expect(newSecret).not.toBe(oldSecret);
    const [before, after] = receiver.requests;
    expect(verifyWebhookSignature(oldSecret, before!.headers, before!.body)).toBe(true);
    expect(verifyWebhookSignature(newSecret, after!.headers, after!.body)).toBe(true);
    expect(verifyWebhookSignature(oldSecret, after!.headers, after!.body)).toBe(false);
    expect(after!.headers['webhook-signature']).not.toBe(before!.headers['webhook-signature']);
  });

  it('refuses a test event without a webhook URL, and records no delivery', async () => {
    const sent = await sendTest();

    expect(sent.status).toBe(409);
    expect(sent.body.error.code).toBe('no_webhook_url');
    expect(sent.body.error.message).toContain('webhook_url');
    expect(await deliveries()).toEqual([]);
    const { Items } = await tableClient().send(
      new QueryCommand({
        TableName: LOCAL_RESOURCES.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': `TENANT#${tenant.tenantId}#WEBHOOK` },
        ConsistentRead: true,
      }),
    );
    expect(Items).toEqual([]);
  });
});

describe('training events', () => {
  const BASE = '/api/admin/ai-personalities';

  async function personalityWithSamples(): Promise<{ personalityId: string; sampleIds: string[] }> {
    const created = await call(BASE, {
      token: tenant.admin,
      json: {
        name: 'Announcer',
        traits: { gender: 'female' },
        voice_config: { provider: 'google', voice_id: 'en-US-Neural2-F' },
      },
    });
    expect(created.status).toBe(201);
    const personalityId: string = created.body.id;
    const sampleIds = await uploadRecordings(tenant.admin, personalityId, [
      { name: 'first take.wav', bytes: await speechWav(35) },
      { name: 'second take.wav', bytes: await speechWav(36) },
    ]);
    const judged = await judgedSamples(tenant.admin, personalityId);
    expect(judged.samples.map((sample: { status: string }) => sample.status)).toEqual(['valid', 'valid']);
    return { personalityId, sampleIds };
  }

  const train = (personalityId: string, sampleIds: string[]) =>
    call(`${BASE}/${personalityId}/voice/train`, {
      token: tenant.admin,
      json: { consent: CONSENT, sample_ids: sampleIds, provider: 'local' },
    });

  async function trainingEvents(receiver: Receiver, type: string) {
    await waitFor(
      `a ${type} event`,
      async () => receiver.requests.map((request) => JSON.parse(request.body).type as string),
      (types) => types.includes(type),
    );
    return receiver.requests.filter((request) => JSON.parse(request.body).type === type);
  }

  it('sends voice.training.succeeded once when a training ends ready', async () => {
    const receiver = await startReceiver();
    const secret = await setWebhookUrl(receiver.url);
    const { personalityId, sampleIds } = await personalityWithSamples();

    const started = await train(personalityId, sampleIds);
    expect(started.status).toBe(202);
    const status = await finishedTraining(tenant.admin, personalityId);
    const [request] = await trainingEvents(receiver, 'voice.training.succeeded');

    expect(status.status).toBe('ready');
    expect(verifyWebhookSignature(secret, request!.headers, request!.body)).toBe(true);
    expect(JSON.parse(request!.body)).toMatchObject({
      type: 'voice.training.succeeded',
      tenant_id: tenant.tenantId,
      data: {
        training_job_id: started.body.training_job_id,
        personality_id: personalityId,
        provider: 'local',
        voice_id: status.voice_id,
      },
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const types = receiver.requests.map((received) => JSON.parse(received.body).type);
    expect(types).toEqual(['voice.training.succeeded']);
  });

  it('sends voice.training.failed once, with the reason, when a training fails', async () => {
    const receiver = await startReceiver();
    await setWebhookUrl(receiver.url);
    const { personalityId, sampleIds } = await personalityWithSamples();
    // The sample's record still says valid, so the training starts; its audio is gone when the voice is made.
    const sample = (await tenantItems(tenant.tenantId)).find((item) => item.id === sampleIds[0]);
    const s3 = new S3Client({
      endpoint: inject('s3Endpoint'),
      region: LOCAL_RESOURCES.region,
      forcePathStyle: true,
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    });
    await s3.send(
      new DeleteObjectCommand({ Bucket: LOCAL_RESOURCES.samplesBucket, Key: String(sample!.s3_key) }),
    );

    const started = await train(personalityId, sampleIds);
    expect(started.status).toBe(202);
    const status = await finishedTraining(tenant.admin, personalityId);
    const [request] = await trainingEvents(receiver, 'voice.training.failed');

    expect(status.status).toBe('failed');
    expect(JSON.parse(request!.body)).toMatchObject({
      type: 'voice.training.failed',
      tenant_id: tenant.tenantId,
      data: {
        training_job_id: started.body.training_job_id,
        personality_id: personalityId,
        error: { code: status.error.code, message: status.error.message },
      },
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const types = receiver.requests.map((received) => JSON.parse(received.body).type);
    expect(types).toEqual(['voice.training.failed']);
  });
});
