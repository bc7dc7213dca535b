// Voice samples: registered with a presigned upload for one exact key, checked when the object arrives, deletable.
import { randomBytes } from 'node:crypto';
import { DeleteObjectCommand } from '@aws-sdk/client-s3';
import { config } from '../config.ts';
import { BadRequestError, ConflictError, NotFoundError } from '../http/errors.ts';
import { getPersonality } from '../personalities/personalities.ts';
import { objectKeys, presignedUpload, s3Client } from '../store/objects.ts';
import { table } from '../store/table.ts';
import {
  MAX_SAMPLE_BYTES,
  MAX_SAMPLES_PER_PERSONALITY,
  MAX_TRAINING_SECONDS,
  MIN_TRAINING_SECONDS,
  Sample,
  type UploadRequest,
} from './schemas.ts';

/** How long a presigned upload stays usable. */
const UPLOAD_SECONDS = 10 * 60;

export const RECORDING_TIPS = [
  'Record in a quiet room, about a hand’s width from the microphone, without background music.',
  'Speak naturally, as the personality would talk to a customer, in the language it will speak.',
  'Upload 1 to 10 minutes in total, in files of at least 30 seconds each; WAV, MP3, M4A, FLAC or OGG.',
  'Keep the input level steady: loud enough to be clear, never so loud that it distorts.',
];

interface SampleRecord {
  tenant_id: string;
  personality_id: string;
  id: string;
  file_name: string;
  content_type: string;
  declared_size: number;
  s3_key: string;
  status: 'pending' | 'valid' | 'rejected';
  report?: unknown;
  duration_seconds?: number;
  created_at: string;
  validated_at?: string;
  expiresAt?: number;
}

const newSampleId = () => `s-${randomBytes(8).toString('hex')}`;

export function toSample(record: SampleRecord): Sample {
  return Sample.parse(record);
}

export async function sampleRecords(tenantId: string, personalityId: string): Promise<SampleRecord[]> {
  const { data } = await table()
    .voiceSamples.query.byPersonality({ tenant_id: tenantId, personality_id: personalityId })
    .go({ pages: 'all' });
  // Samples kept after their voice was deleted wait out their retention here; TTL deletion is not immediate.
  const now = Math.floor(Date.now() / 1000);
  return (data as SampleRecord[]).filter((sample) => !sample.expiresAt || sample.expiresAt > now);
}

export async function sampleRecord(
  tenantId: string,
  personalityId: string,
  sampleId: string,
): Promise<SampleRecord> {
  const { data } = await table()
    .voiceSamples.get({ tenant_id: tenantId, personality_id: personalityId, id: sampleId })
    .go({ consistent: true });
  if (!data)
    throw new NotFoundError(
      'sample_not_found',
      `No sample "${sampleId}" for personality "${personalityId}".`,
    );
  return data as SampleRecord;
}

export function validSeconds(samples: SampleRecord[]): number {
  return samples
    .filter((sample) => sample.status === 'valid')
    .reduce((sum, sample) => sum + (sample.duration_seconds ?? 0), 0);
}

/**
 * Registers files for upload and hands back one presigned POST each, bound to an exact key and 10 MB.
 * Refused up front: more files than a personality may hold, or a personality that already has 10 minutes of valid
 * recordings. Durations are only known once the files arrive; training checks the total again.
 */
export async function registerSamples(tenantId: string, personalityId: string, request: UploadRequest) {
  await getPersonality(tenantId, personalityId);
  const existing = await sampleRecords(tenantId, personalityId);
  const held = existing.filter((sample) => sample.status !== 'rejected').length;
  if (held + request.files.length > MAX_SAMPLES_PER_PERSONALITY) {
    throw new BadRequestError(
      'too_many_samples',
      `A personality holds at most ${MAX_SAMPLES_PER_PERSONALITY} samples; it has ${held}, and ${request.files.length} more were asked for. Delete some first.`,
    );
  }
  if (validSeconds(existing) >= MAX_TRAINING_SECONDS) {
    throw new ConflictError(
      'samples_full',
      `This personality already has ${Math.round(validSeconds(existing))} s of valid recordings, the most a voice is trained on (${MAX_TRAINING_SECONDS} s).`,
    );
  }
  const { samplesBucket } = config();
  const created_at = new Date().toISOString();
  const samples = await Promise.all(
    request.files.map(async (file) => {
      const id = newSampleId();
      const s3_key = objectKeys.sample(tenantId, personalityId, id);
      const upload = await presignedUpload(samplesBucket, s3_key, {
        maxBytes: MAX_SAMPLE_BYTES,
        contentType: file.content_type,
        expiresInSeconds: UPLOAD_SECONDS,
      });
      await table()
        .voiceSamples.create({
          tenant_id: tenantId,
          personality_id: personalityId,
          id,
          file_name: file.name,
          content_type: file.content_type,
          declared_size: file.size,
          s3_key,
          status: 'pending',
          created_at,
        })
        .go();
      return { sample_id: id, file_name: file.name, upload, expires_in_seconds: UPLOAD_SECONDS };
    }),
  );
  return { samples, tips: RECORDING_TIPS };
}

export async function listSamples(tenantId: string, personalityId: string) {
  await getPersonality(tenantId, personalityId);
  const records = await sampleRecords(tenantId, personalityId);
  records.sort((a, b) => a.created_at.localeCompare(b.created_at) || a.id.localeCompare(b.id));
  return {
    samples: records.map(toSample),
    valid_seconds: Math.round(validSeconds(records) * 10) / 10,
    needed_seconds: { min: MIN_TRAINING_SECONDS, max: MAX_TRAINING_SECONDS },
  };
}

export async function deleteSampleObject(key: string): Promise<void> {
  await s3Client().send(new DeleteObjectCommand({ Bucket: config().samplesBucket, Key: key }));
}

/** Deletes the recording and its record; the object first, so a failure never leaves an object without a record. */
export async function deleteSample(tenantId: string, personalityId: string, sampleId: string): Promise<void> {
  const sample = await sampleRecord(tenantId, personalityId, sampleId);
  await deleteSampleObject(sample.s3_key);
  await table()
    .voiceSamples.delete({ tenant_id: tenantId, personality_id: personalityId, id: sampleId })
    .go();
}

/** Where a key under `samples/` came from; anything else is not a sample. */
export function parseSampleKey(
  key: string,
): { tenantId: string; personalityId: string; sampleId: string } | undefined {
  const match = /^samples\/([^/]+)\/([^/]+)\/([^/]+)$/.exec(key);
  if (!match) return undefined;
  return { tenantId: match[1]!, personalityId: match[2]!, sampleId: match[3]! };
}
