// S3 access: object keys built in one place (tenant first), presigned URLs that are short-lived and size-bound.
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { createPresignedPost, type PresignedPost } from '@aws-sdk/s3-presigned-post';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { config } from '../config.ts';

/** Presigned URLs live at most 15 minutes (design §10). */
export const MAX_PRESIGN_SECONDS = 15 * 60;

/** The audio bucket's prefix for content-addressed speech; S3 lifecycle expires it. */
export const AUDIO_CACHE_PREFIX = 'cache/';

const SEGMENT = /^[a-z0-9][a-z0-9_-]{0,127}$/i;

function segment(name: string, value: string): string {
  if (!SEGMENT.test(value)) throw new Error(`Invalid ${name} for an object key: ${JSON.stringify(value)}`);
  return value;
}

export const objectKeys = {
  /** A voice sample a tenant admin uploads for cloning. */
  sample: (tenantId: string, personalityId: string, sampleId: string) =>
    `samples/${segment('tenant id', tenantId)}/${segment('personality id', personalityId)}/${segment('sample id', sampleId)}`,
  /** Synthesised speech, addressed by the hash of everything that shaped it. */
  cachedAudio: (tenantId: string, contentHash: string, format: string) =>
    `${AUDIO_CACHE_PREFIX}${segment('tenant id', tenantId)}/${segment('content hash', contentHash)}.${segment('format', format)}`,
  /** Every key of one tenant in a bucket starts with this. */
  tenantPrefix: (area: 'samples' | 'cache', tenantId: string) =>
    `${area === 'cache' ? AUDIO_CACHE_PREFIX : 'samples/'}${segment('tenant id', tenantId)}/`,
};

let client: S3Client | undefined;

export function s3Client(): S3Client {
  if (client) return client;
  const { region, s3Endpoint } = config();
  client = new S3Client({
    region,
    // s3rver answers on one host, so buckets go in the path there; AWS uses virtual-hosted names.
    ...(s3Endpoint ? { endpoint: s3Endpoint, forcePathStyle: true } : {}),
  });
  return client;
}

function boundedExpiry(seconds: number): number {
  return Math.max(1, Math.min(Math.floor(seconds), MAX_PRESIGN_SECONDS));
}

export async function presignedDownloadUrl(
  bucket: string,
  key: string,
  expiresInSeconds = 300,
): Promise<string> {
  return getSignedUrl(s3Client(), new GetObjectCommand({ Bucket: bucket, Key: key }), {
    expiresIn: boundedExpiry(expiresInSeconds),
  });
}

export interface UploadLimits {
  maxBytes: number;
  contentType?: string;
  expiresInSeconds?: number;
}

/** A browser POST for one exact key; S3 enforces the size range and content type in the policy. */
export async function presignedUpload(
  bucket: string,
  key: string,
  limits: UploadLimits,
): Promise<PresignedPost> {
  return createPresignedPost(s3Client(), {
    Bucket: bucket,
    Key: key,
    Conditions: [
      ['content-length-range', 1, limits.maxBytes],
      ...(limits.contentType ? [['eq', '$Content-Type', limits.contentType] as ['eq', string, string]] : []),
    ],
    Fields: limits.contentType ? { 'Content-Type': limits.contentType } : {},
    Expires: boundedExpiry(limits.expiresInSeconds ?? 600),
  });
}
