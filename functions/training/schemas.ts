// Requests and answers of voice cloning: sample upload, samples, training, status.
import * as z from 'zod';
import { PersonalityId, VoiceSettings } from '../personalities/schemas.ts';

export const MAX_SAMPLE_BYTES = 10 * 1024 * 1024;
/** Samples one personality may hold at once, registered or checked. */
export const MAX_SAMPLES_PER_PERSONALITY = 25;
export const MIN_TRAINING_SECONDS = 60;
export const MAX_TRAINING_SECONDS = 600;

/** What browsers and recorders call the accepted formats; the validator checks the bytes, not this. */
export const SAMPLE_CONTENT_TYPES = [
  'audio/mpeg',
  'audio/mp3',
  'audio/wav',
  'audio/x-wav',
  'audio/wave',
  'audio/mp4',
  'audio/x-m4a',
  'audio/m4a',
  'audio/aac',
  'audio/flac',
  'audio/x-flac',
  'audio/ogg',
] as const;

export const SampleId = z.string().regex(/^s-[a-z0-9]{10,40}$/, 'must be a sample id such as s-1a2b3c4d5e');

export const SampleParams = z.strictObject({ id: PersonalityId, sampleId: SampleId });

export const UploadRequest = z
  .strictObject({
    files: z
      .array(
        z.strictObject({
          name: z
            .string()
            .trim()
            .min(1)
            .max(200)
            .refine(
              (name) => !/[\\/]/.test(name) && ![...name].some((c) => c.charCodeAt(0) < 32),
              'must be a file name, without folders',
            ),
          content_type: z.enum(SAMPLE_CONTENT_TYPES, {
            error: `must be an audio type: ${SAMPLE_CONTENT_TYPES.join(', ')}`,
          }),
          size: z
            .int()
            .min(1, 'an empty file holds no recording')
            .max(MAX_SAMPLE_BYTES, `must be at most ${MAX_SAMPLE_BYTES / 1024 / 1024} MB`),
        }),
      )
      .min(1)
      .max(10),
  })
  .meta({ id: 'SampleUploadRequest' });
export type UploadRequest = z.infer<typeof UploadRequest>;

const Reason = z.object({ code: z.string(), message: z.string(), tip: z.string() });

export const Sample = z
  .object({
    id: SampleId,
    personality_id: PersonalityId,
    file_name: z.string(),
    content_type: z.string(),
    status: z
      .enum(['pending', 'valid', 'rejected'])
      .describe('pending until the upload arrives and is checked'),
    duration_seconds: z.number().optional(),
    report: z
      .object({
        verdict: z.enum(['valid', 'rejected']),
        format: z.string().optional(),
        duration_seconds: z.number().optional(),
        sample_rate: z.number().optional(),
        channels: z.number().optional(),
        size_bytes: z.number(),
        quality: z.record(z.string(), z.number()).optional(),
        analysis: z.enum(['full', 'metadata_only']),
        reasons: z.array(Reason),
      })
      .optional(),
    created_at: z.string(),
    validated_at: z.string().optional(),
  })
  .meta({ id: 'VoiceSample' });
export type Sample = z.infer<typeof Sample>;

export const UploadAnswer = z
  .object({
    samples: z.array(
      z.object({
        sample_id: SampleId,
        file_name: z.string(),
        upload: z.object({
          url: z.string(),
          fields: z
            .record(z.string(), z.string())
            .describe('Send these form fields, then the file as "file"'),
        }),
        expires_in_seconds: z.int(),
      }),
    ),
    tips: z.array(z.string()),
  })
  .meta({ id: 'SampleUploadAnswer' });

export const SampleList = z
  .object({
    samples: z.array(Sample),
    valid_seconds: z.number().describe('Total length of the valid samples'),
    needed_seconds: z.object({ min: z.number(), max: z.number() }),
  })
  .meta({ id: 'SampleList' });

export const CLONING_PROVIDERS = ['elevenlabs', 'local'] as const;

export const TrainRequest = z
  .strictObject({
    sample_ids: z
      .array(SampleId)
      .min(1)
      .max(MAX_SAMPLES_PER_PERSONALITY)
      .refine((ids) => new Set(ids).size === ids.length, 'must not repeat a sample'),
    settings: VoiceSettings.optional(),
    provider: z.enum(CLONING_PROVIDERS).optional(),
    voice_name: z.string().trim().min(1).max(100).optional(),
    consent: z.strictObject({
      speaker_name: z.string().trim().min(1).max(200),
      statement: z
        .string()
        .trim()
        .min(20, 'must state, in a sentence, that the speaker agreed to have their voice cloned')
        .max(2000),
      attested_by: z.string().trim().min(1).max(200),
    }),
  })
  .meta({ id: 'TrainVoiceRequest' });
export type TrainRequest = z.infer<typeof TrainRequest>;

export const TrainAnswer = z
  .object({ training_job_id: z.string(), status: z.string() })
  .meta({ id: 'TrainVoiceAnswer' });

export const VoiceStatusAnswer = z
  .object({
    status: z.enum(['none', 'training', 'ready', 'failed']),
    progress: z.int().min(0).max(100),
    step: z.string(),
    provider: z.string().nullable(),
    voice_id: z.string().nullable(),
    training_job_id: z.string().nullable(),
    error: z.object({ code: z.string(), message: z.string() }).nullable(),
    updated_at: z.string().nullable(),
  })
  .meta({ id: 'VoiceStatus' });
export type VoiceStatusAnswer = z.infer<typeof VoiceStatusAnswer>;

/** What flows between the training state machine's tasks. */
export interface TrainingState {
  tenant_id: string;
  personality_id: string;
  job_id: string;
  provider: 'elevenlabs' | 'local';
  voice_name: string;
  sample_ids: string[];
  samples?: Array<{
    id: string;
    key: string;
    file_name: string;
    content_type: string;
    duration_seconds: number;
  }>;
  voice?: { voice_id: string; status: 'ready' | 'processing'; checks: number };
  sample_clip?: { key: string; audio_seconds: number };
  error?: { Error: string; Cause?: string };
}
