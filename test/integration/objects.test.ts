// The S3 module against s3rver through the real AWS SDK: presigned upload and download of an exact, tenant-first key.
import { HeadObjectCommand } from '@aws-sdk/client-s3';
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { LOCAL_RESOURCES } from '../../local/stack.ts';

let objects: typeof import('../../functions/store/objects.ts');

beforeAll(async () => {
  // The module reads its configuration once, as a Lambda does at cold start: give it the local stack's.
  Object.assign(process.env, {
    TABLE_NAME: LOCAL_RESOURCES.tableName,
    SAMPLES_BUCKET: LOCAL_RESOURCES.samplesBucket,
    AUDIO_BUCKET: LOCAL_RESOURCES.audioBucket,
    AWS_REGION: LOCAL_RESOURCES.region,
    DYNAMODB_ENDPOINT: inject('dynamodbEndpoint'),
    S3_ENDPOINT: inject('s3Endpoint'),
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
    AUTH_ISSUER: 'urn:test',
  });
  objects = await import('../../functions/store/objects.ts');
});

describe('S3 objects', () => {
  it('uploads through a presigned POST and downloads through a presigned GET', async () => {
    const tenantId = `t-${randomUUID().slice(0, 8)}`;
    // The audio bucket: an upload to the samples bucket would go to the sample validator, which owns that bucket.
    const key = objects.objectKeys.cachedAudio(tenantId, randomUUID().replace(/-/g, ''), 'wav');
    const bytes = Buffer.from('RIFF....WAVEfmt a voice sample, more or less');

    const post = await objects.presignedUpload(LOCAL_RESOURCES.audioBucket, key, {
      maxBytes: 1024,
      contentType: 'audio/wav',
    });
    const form = new FormData();
    for (const [name, value] of Object.entries(post.fields)) form.append(name, value);
    form.append('file', new Blob([bytes], { type: 'audio/wav' }), 'sample.wav');
    const upload = await fetch(post.url, { method: 'POST', body: form });
    const head = await objects
      .s3Client()
      .send(new HeadObjectCommand({ Bucket: LOCAL_RESOURCES.audioBucket, Key: key }));
    const url = await objects.presignedDownloadUrl(LOCAL_RESOURCES.audioBucket, key, 60);
    const download = await fetch(url);

    expect(upload.status).toBeLessThan(300);
    expect(key.startsWith(`cache/${tenantId}/`)).toBe(true);
    expect(head.ContentLength).toBe(bytes.length);
    expect(download.status).toBe(200);
    expect(Buffer.from(await download.arrayBuffer()).equals(bytes)).toBe(true);
  });

  it('never signs a download for longer than 15 minutes', async () => {
    const url = await objects.presignedDownloadUrl(
      LOCAL_RESOURCES.audioBucket,
      'cache/t-x/abc.mp3',
      24 * 3600,
    );

    expect(new URL(url).searchParams.get('X-Amz-Expires')).toBe('900');
  });
});
