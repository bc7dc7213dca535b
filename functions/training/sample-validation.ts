// Checks a sample when its object arrives in S3: the real format, length and quality, stored as its report.
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { config } from '../config.ts';
import { logger } from '../powertools.ts';
import { s3Client } from '../store/objects.ts';
import { table } from '../store/table.ts';
import { analyseSample, type SampleReport } from './sample-analysis.ts';
import { deleteSampleObject, parseSampleKey, sampleRecord } from './samples.ts';
import { MAX_SAMPLE_BYTES } from './schemas.ts';

export type ValidationOutcome = 'valid' | 'rejected' | 'ignored';

function tooLarge(size: number): SampleReport {
  return {
    verdict: 'rejected',
    size_bytes: size,
    analysis: 'metadata_only',
    reasons: [
      {
        code: 'too_large',
        message: `The file is ${(size / 1024 / 1024).toFixed(1)} MB; the limit is ${MAX_SAMPLE_BYTES / 1024 / 1024} MB.`,
        tip: 'Split the recording into shorter files, or export it as MP3 or M4A.',
      },
    ],
  };
}

/**
 * 1. Find the sample the key belongs to; an object nobody registered is deleted.
 * 2. Over 10 MB is rejected unread (S3 enforces the upload policy in AWS; the local S3 does not).
 * 3. Otherwise analyse the bytes. The report is stored either way; a rejected recording is deleted, as nobody
 *    should keep a voice that will not be used.
 */
export async function validateUploadedSample(key: string, size: number): Promise<ValidationOutcome> {
  const ids = parseSampleKey(key);
  const sample = ids
    ? await sampleRecord(ids.tenantId, ids.personalityId, ids.sampleId).catch(() => undefined)
    : undefined;
  if (!ids || !sample) {
    logger.warn('object under samples/ that no sample owns; deleting it', { key });
    await deleteSampleObject(key);
    return 'ignored';
  }
  let report: SampleReport;
  if (size > MAX_SAMPLE_BYTES) {
    report = tooLarge(size);
  } else {
    const object = await s3Client().send(new GetObjectCommand({ Bucket: config().samplesBucket, Key: key }));
    report = await analyseSample(await object.Body!.transformToByteArray(), { maxBytes: MAX_SAMPLE_BYTES });
  }
  await table()
    .voiceSamples.patch({ tenant_id: ids.tenantId, personality_id: ids.personalityId, id: ids.sampleId })
    .set({
      status: report.verdict,
      report,
      ...(report.duration_seconds !== undefined ? { duration_seconds: report.duration_seconds } : {}),
      validated_at: new Date().toISOString(),
    })
    .go();
  if (report.verdict === 'rejected') await deleteSampleObject(key);
  logger.info('sample checked', {
    key,
    verdict: report.verdict,
    reasons: report.reasons.map((reason) => reason.code),
  });
  return report.verdict;
}
