// Presigned uploads carry their limits in the signed policy, which S3 enforces in AWS.
import { beforeAll, describe, expect, it } from 'vitest';

let objects: typeof import('../../../functions/store/objects.ts');

beforeAll(async () => {
  Object.assign(process.env, {
    TABLE_NAME: 'voice-test',
    SAMPLES_BUCKET: 'samples-test',
    AUDIO_BUCKET: 'audio-test',
    AWS_REGION: 'eu-west-1',
    AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'secret',
    AUTH_ISSUER: 'urn:test',
  });
  objects = await import('../../../functions/store/objects.ts');
});

describe('presignedUpload', () => {
  it('binds one exact key, a size range, the content type and a short expiry', async () => {
    const before = Date.now();

    const post = await objects.presignedUpload('samples-test', 'samples/acme/marcel/s-1', {
      maxBytes: 10 * 1024 * 1024,
      contentType: 'audio/mpeg',
      expiresInSeconds: 3600,
    });

    const policy = JSON.parse(Buffer.from(post.fields.Policy!, 'base64').toString('utf8')) as {
      expiration: string;
      conditions: unknown[];
    };
    expect(post.fields.key).toBe('samples/acme/marcel/s-1');
    expect(policy.conditions).toContainEqual(['content-length-range', 1, 10 * 1024 * 1024]);
    expect(policy.conditions).toContainEqual(['eq', '$Content-Type', 'audio/mpeg']);
    expect(policy.conditions).toContainEqual({ key: 'samples/acme/marcel/s-1' });
    expect(policy.conditions).toContainEqual({ bucket: 'samples-test' });
    // Asked for an hour, given at most 15 minutes.
    const expiresIn = Date.parse(policy.expiration) - before;
    expect(expiresIn).toBeLessThanOrEqual(15 * 60 * 1000 + 2000);
    expect(expiresIn).toBeGreaterThan(14 * 60 * 1000);
  });
});
