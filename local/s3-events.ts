// S3 event notifications for the local stack: s3rver's ObjectCreated records, reshaped as AWS sends them.
import type { S3Event, S3EventRecord } from 'aws-lambda';
import type S3rver from 's3rver';

/** The slice of s3rver's record this module reads; s3rver builds the rest in AWS's shape already. */
interface S3rverRecord {
  eventName?: unknown;
  s3?: { bucket?: { name?: unknown }; object?: { key?: unknown; size?: unknown; eTag?: unknown } };
}

/**
 * An object key as S3 writes it in event notifications: form-URL-encoded (a space is `+`, `=` is `%3D`),
 * slashes kept. Decode with `decodeURIComponent(key.replace(/\+/g, ' '))`.
 */
export function encodeEventKey(key: string): string {
  return key
    .split('/')
    .map((segment) =>
      encodeURIComponent(segment)
        .replace(/[!'()~]/g, (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`)
        .replace(/%20/g, '+'),
    )
    .join('/');
}

/** s3rver's record with what it gets wrong put right: the key encoding and the bucket ARN. */
function toAwsRecord(
  record: S3rverRecord & Record<string, unknown>,
  bucket: string,
  key: string,
): S3EventRecord {
  const aws = structuredClone(record) as unknown as S3EventRecord;
  aws.s3.bucket.arn = `arn:aws:s3:::${bucket}`;
  aws.s3.object.key = encodeEventKey(key);
  aws.s3.object.size = Number(record.s3?.object?.size ?? 0);
  // s3rver leaves the ETag out of Copy records; AWS always sends one.
  if (typeof aws.s3.object.eTag !== 'string') aws.s3.object.eTag = '';
  return aws;
}

function defaultOnError(error: unknown, record: S3EventRecord) {
  console.error(
    `[s3-events] handler failed for s3://${record.s3.bucket.name}/${record.s3.object.key}:`,
    error,
  );
}

/**
 * Calls `handler` with `{ Records: [record] }` for each object created in `bucket` (Put, Post, Copy and
 * completed multipart uploads, which s3rver reports as `ObjectCreated:Post`), as an S3 notification to
 * Lambda does. Calls for one key run one after another; a handler's failure goes to `onError`, never into
 * s3rver. Returns the unsubscribe.
 */
export function forwardObjectCreated(
  s3: S3rver,
  bucket: string,
  handler: (event: S3Event) => Promise<unknown>,
  onError: (error: unknown, record: S3EventRecord) => void = defaultOnError,
): () => void {
  const queues = new Map<string, Promise<void>>();

  const deliver = (record: S3EventRecord) => async () => {
    try {
      await handler({ Records: [record] });
    } catch (error) {
      try {
        onError(error, record);
      } catch (reportError) {
        console.error('[s3-events] onError threw:', reportError);
      }
    }
  };

  const listener = (event: unknown) => {
    const records = (event as { Records?: unknown } | null)?.Records;
    if (!Array.isArray(records)) return;
    for (const raw of records as Array<S3rverRecord & Record<string, unknown>>) {
      const key = raw.s3?.object?.key;
      if (typeof raw.eventName !== 'string' || !raw.eventName.startsWith('ObjectCreated:')) continue;
      if (raw.s3?.bucket?.name !== bucket || typeof key !== 'string') continue;
      const next = (queues.get(key) ?? Promise.resolve()).then(deliver(toAwsRecord(raw, bucket, key)));
      queues.set(key, next);
      void next.then(() => {
        if (queues.get(key) === next) queues.delete(key);
      });
    }
  };

  s3.on('event', listener);
  return () => {
    s3.off('event', listener);
  };
}
