// Objects put into the local S3 reach a handler as S3 notifications reach Lambda: one AWS-shaped record each.
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { S3Event } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeEventKey, forwardObjectCreated } from '../../../local/s3-events.ts';
import { startS3Local, type S3Local } from '../../../local/s3-local.ts';

const WATCHED = 'watched-bucket';
const OTHER = 'other-bucket';

let s3Local: S3Local;
let s3: S3Client;

beforeAll(async () => {
  s3Local = await startS3Local({ buckets: [WATCHED, OTHER] });
  s3 = new S3Client({
    endpoint: s3Local.endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  });
});

afterAll(async () => {
  s3?.destroy();
  await s3Local?.stop();
});

const put = (bucket: string, key: string, body: string) =>
  s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));

const decode = (key: string) => decodeURIComponent(key.replace(/\+/g, ' '));

/** Resolves with the first `count` events the handler saw. */
function collect(count: number) {
  const events: S3Event[] = [];
  let resolve!: (events: S3Event[]) => void;
  const received = new Promise<S3Event[]>((done) => (resolve = done));
  const handler = async (event: S3Event) => {
    events.push(event);
    if (events.length === count) resolve(events);
  };
  return { events, received, handler };
}

describe('forwardObjectCreated', () => {
  it('hands the handler one AWS-shaped record with the bucket, the encoded key and the size', async () => {
    const key = `samples/${crypto.randomUUID()}/take one=(1).wav`;
    const { received, handler } = collect(1);
    const unsubscribe = forwardObjectCreated(s3Local.server, WATCHED, handler);

    await put(WATCHED, key, 'RIFF-12345');
    const [event] = await received;
    unsubscribe();

    expect(event!.Records).toHaveLength(1);
    const record = event!.Records[0]!;
    expect(record).toMatchObject({
      eventSource: 'aws:s3',
      eventName: 'ObjectCreated:Put',
      awsRegion: 'us-east-1',
      s3: { bucket: { name: WATCHED, arn: `arn:aws:s3:::${WATCHED}` }, object: { size: 10 } },
    });
    expect(record.s3.object.key).toBe(encodeEventKey(key));
    expect(record.s3.object.key).toContain('take+one%3D%281%29.wav');
    expect(decode(record.s3.object.key)).toBe(key);
    expect(record.s3.object.eTag).toMatch(/^[0-9a-f]{32}$/);
    expect(Date.parse(record.eventTime)).not.toBeNaN();
  });

  it('ignores other buckets', async () => {
    const key = `samples/${crypto.randomUUID()}.wav`;
    const { events, received, handler } = collect(1);
    const unsubscribe = forwardObjectCreated(s3Local.server, WATCHED, handler);

    await put(OTHER, `ignored/${key}`, 'x');
    await put(WATCHED, key, 'y');
    await received;
    unsubscribe();

    expect(events.map((event) => decode(event.Records[0]!.s3.object.key))).toEqual([key]);
  });

  it('runs the handler for one object one call at a time', async () => {
    const key = `samples/${crypto.randomUUID()}.wav`;
    let active = 0;
    let overlapped = false;
    const sizes: number[] = [];
    let resolve!: () => void;
    const finished = new Promise<void>((done) => (resolve = done));
    const unsubscribe = forwardObjectCreated(s3Local.server, WATCHED, async (event) => {
      active += 1;
      overlapped ||= active > 1;
      await new Promise((wait) => setTimeout(wait, 30));
      sizes.push(event.Records[0]!.s3.object.size);
      active -= 1;
      if (sizes.length === 3) resolve();
    });

    await Promise.all([put(WATCHED, key, 'a'), put(WATCHED, key, 'bb'), put(WATCHED, key, 'ccc')]);
    await finished;
    unsubscribe();

    expect(overlapped).toBe(false);
    expect([...sizes].sort()).toEqual([1, 2, 3]);
  });

  it('reports a handler’s failure and goes on with the next object', async () => {
    const failing = `samples/${crypto.randomUUID()}.wav`;
    const next = `samples/${crypto.randomUUID()}.wav`;
    const failures: Array<{ error: unknown; key: string }> = [];
    const { received, handler } = collect(1);
    const unsubscribe = forwardObjectCreated(
      s3Local.server,
      WATCHED,
      async (event) => {
        if (decode(event.Records[0]!.s3.object.key) === failing) throw new Error('validator broke');
        await handler(event);
      },
      (error, record) => failures.push({ error, key: decode(record.s3.object.key) }),
    );

    const response = await put(WATCHED, failing, 'x');
    await put(WATCHED, next, 'y');
    await received;
    unsubscribe();

    expect(response.$metadata.httpStatusCode).toBe(200);
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({ key: failing, error: { message: 'validator broke' } });
  });

  it('stops calling the handler once unsubscribed', async () => {
    const { events, handler } = collect(1);
    const unsubscribe = forwardObjectCreated(s3Local.server, WATCHED, handler);
    unsubscribe();

    await put(WATCHED, `samples/${crypto.randomUUID()}.wav`, 'x');
    await new Promise((resolve) => setTimeout(resolve, 20));

    expect(events).toHaveLength(0);
  });
});

describe('encodeEventKey', () => {
  it('encodes as S3 notifications do: spaces as +, slashes kept, = and parentheses escaped', () => {
    expect(encodeEventKey('tenant/a b/c=d (e)*_.-~!.wav')).toBe('tenant/a+b/c%3Dd+%28e%29*_.-%7E%21.wav');
    expect(encodeEventKey('é.wav')).toBe('%C3%A9.wav');
  });
});
