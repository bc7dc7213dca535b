// S3 ObjectCreated on the samples bucket: each new recording is checked and its report stored.
import type { S3Event } from 'aws-lambda';
import { logger } from '../../powertools.ts';
import { validateUploadedSample } from '../sample-validation.ts';

export const handler = async (event: S3Event): Promise<void> => {
  for (const record of event.Records) {
    // S3 writes keys in event notifications URL-encoded, spaces as '+'.
    const key = decodeURIComponent(record.s3.object.key.replace(/\+/g, ' '));
    const outcome = await validateUploadedSample(key, record.s3.object.size);
    logger.info('sample event handled', { key, outcome });
  }
};
