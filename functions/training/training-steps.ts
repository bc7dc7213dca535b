// What each task of the voice-training state machine does; the ASL decides the order, retries and clean-up.
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { config } from '../config.ts';
import { getPersonality, setVoiceConfig } from '../personalities/personalities.ts';
import { logger } from '../powertools.ts';
import { TtsProviderError, type VoiceCloning } from '../providers/tts/port.ts';
import { providerRegistry } from '../providers/tts/registry.ts';
import { s3Client } from '../store/objects.ts';
import { table } from '../store/table.ts';
import { sampleText } from '../voice/sample.ts';
import { speak } from '../voice/voice-service.ts';
import { emitWebhookEvent } from '../webhooks/events.ts';
import type { WebhookEventType } from '../webhooks/schemas.ts';
import { sampleRecords } from './samples.ts';
import { MAX_TRAINING_SECONDS, MIN_TRAINING_SECONDS, type TrainingState } from './schemas.ts';
import { PENDING_VOICE_ID, trainingJob } from './training.ts';

/** Error names the ASL's Retry and Catch match on. */
export class TrainingError extends Error {
  constructor(
    name:
      | 'TransientError'
      | 'SamplesNotUsable'
      | 'VoiceCreationRejected'
      | 'VoiceCreationFailed'
      | 'VoiceNotReadyInTime'
      | 'TrainingCancelled',
    message: string,
  ) {
    super(message);
    this.name = name;
  }
}

async function recordStep(
  state: TrainingState,
  fields: {
    step: string;
    progress: number;
    status?: 'running' | 'ready' | 'failed';
    voice_id?: string;
    error?: { code: string; message: string };
  },
) {
  await table()
    .trainingJobs.patch({
      tenant_id: state.tenant_id,
      personality_id: state.personality_id,
      id: state.job_id,
    })
    .set({ ...fields, updated_at: new Date().toISOString() })
    .go();
}

/** Tells the tenant's webhook how the training ended; a webhook problem never fails a training step. */
async function announce(state: TrainingState, type: WebhookEventType, data: Record<string, unknown>) {
  try {
    await emitWebhookEvent(state.tenant_id, type, {
      training_job_id: state.job_id,
      personality_id: state.personality_id,
      ...data,
    });
  } catch (error) {
    logger.error('training webhook event not sent', { eventType: type, error: error as Error });
  }
}

/** Provider failures worth another try become TransientError, which the ASL retries; others end the training. */
function asTrainingError(error: unknown, what: string): Error {
  if (error instanceof TtsProviderError) {
    return error.retryable
      ? new TrainingError('TransientError', `${what}: ${error.message}`)
      : new TrainingError('VoiceCreationRejected', `${what}: ${error.message}`);
  }
  return error instanceof Error ? error : new Error(String(error));
}

async function configuredCloning(provider: TrainingState['provider']): Promise<VoiceCloning | undefined> {
  const registry = await providerRegistry();
  return registry.has(provider) ? (await registry.get(provider)).cloning : undefined;
}

async function cloningOf(provider: TrainingState['provider']): Promise<VoiceCloning> {
  const cloning = await configuredCloning(provider);
  if (!cloning)
    throw new TrainingError('VoiceCreationRejected', `${provider} is not configured to clone voices`);
  return cloning;
}

/** The samples are still there, still valid, and still 60–600 s together: they may have been deleted since. */
export async function validateSamples(state: TrainingState): Promise<NonNullable<TrainingState['samples']>> {
  const job = await trainingJob(state.tenant_id, state.personality_id, state.job_id);
  if (!job || job.status === 'deleted')
    throw new TrainingError('TrainingCancelled', 'The training job no longer exists');
  await recordStep(state, { step: 'checking_samples', progress: 10, status: 'running' });
  const held = new Map(
    (await sampleRecords(state.tenant_id, state.personality_id)).map((sample) => [sample.id, sample]),
  );
  const samples = state.sample_ids.map((id) => {
    const sample = held.get(id);
    if (!sample || sample.status !== 'valid')
      throw new TrainingError('SamplesNotUsable', `Sample ${id} is no longer there or no longer valid`);
    return {
      id,
      key: sample.s3_key,
      file_name: sample.file_name,
      content_type: sample.content_type,
      duration_seconds: sample.duration_seconds ?? 0,
    };
  });
  const seconds = samples.reduce((sum, sample) => sum + sample.duration_seconds, 0);
  if (seconds < MIN_TRAINING_SECONDS || seconds > MAX_TRAINING_SECONDS) {
    throw new TrainingError(
      'SamplesNotUsable',
      `The samples hold ${Math.round(seconds)} s; ${MIN_TRAINING_SECONDS}–${MAX_TRAINING_SECONDS} s are needed`,
    );
  }
  await recordStep(state, { step: 'samples_checked', progress: 20 });
  return samples;
}

export async function createVoice(state: TrainingState): Promise<NonNullable<TrainingState['voice']>> {
  await recordStep(state, { step: 'creating_voice', progress: 30 });
  const { samplesBucket } = config();
  const samples = await Promise.all(
    (state.samples ?? []).map(async (sample) => {
      const object = await s3Client().send(new GetObjectCommand({ Bucket: samplesBucket, Key: sample.key }));
      return {
        fileName: sample.file_name,
        contentType: sample.content_type,
        bytes: await object.Body!.transformToByteArray(),
      };
    }),
  );
  const cloning = await cloningOf(state.provider);
  try {
    // A create retried after its answer was lost may already have made the voice: take it, never make a second.
    const [earlier] = (await cloning.voicesLabelled?.({ training_job: state.job_id })) ?? [];
    if (earlier) {
      logger.info('voice already created at provider', { provider: state.provider, voiceId: earlier });
      return { voice_id: earlier, status: 'processing', checks: 0 };
    }
    const created = await cloning.createVoice({
      name: state.voice_name,
      samples,
      labels: { tenant: state.tenant_id, personality: state.personality_id, training_job: state.job_id },
    });
    logger.info('voice created at provider', {
      provider: state.provider,
      voiceId: created.voiceId,
      status: created.status,
    });
    return {
      voice_id: created.voiceId,
      status: created.status === 'ready' ? 'ready' : 'processing',
      checks: 0,
    };
  } catch (error) {
    throw asTrainingError(error, `${state.provider} did not create the voice`);
  }
}

/** One look at a voice the provider is still making; the loop in the ASL is bounded by `checks`. */
export async function checkVoiceStatus(state: TrainingState): Promise<NonNullable<TrainingState['voice']>> {
  const voice = state.voice!;
  const cloning = await cloningOf(state.provider);
  let status;
  try {
    status = await cloning.voiceStatus(voice.voice_id);
  } catch (error) {
    throw asTrainingError(error, `${state.provider} did not say how the voice is doing`);
  }
  if (status === 'ready') return { ...voice, status: 'ready' };
  if (status === 'failed' || status === 'missing') {
    throw new TrainingError('VoiceCreationFailed', `${state.provider} reports the voice as ${status}`);
  }
  const checks = voice.checks + 1;
  const { maxStatusChecks } = config().training;
  if (checks >= maxStatusChecks) {
    throw new TrainingError(
      'VoiceNotReadyInTime',
      `${state.provider} had not finished the voice after ${checks} checks`,
    );
  }
  await recordStep(state, { step: 'waiting_for_provider', progress: Math.min(80, 60 + checks) });
  return { ...voice, status: 'processing', checks };
}

export async function markReady(state: TrainingState): Promise<void> {
  const voice = state.voice!;
  const personality = await getPersonality(state.tenant_id, state.personality_id);
  const current = personality.voice_config;
  if (current?.voice_id !== PENDING_VOICE_ID) {
    throw new TrainingError(
      'TrainingCancelled',
      'The personality’s voice was changed while the new one was being made',
    );
  }
  await setVoiceConfig(
    state.tenant_id,
    state.personality_id,
    {
      ...current,
      voice_id: voice.voice_id,
      status: 'ready',
      created_at: new Date().toISOString(),
      sample_keys: (state.samples ?? []).map((sample) => sample.key),
    },
    { onlyIfVoiceId: PENDING_VOICE_ID },
  );
  await recordStep(state, {
    step: 'making_sample_clip',
    progress: 90,
    status: 'ready',
    voice_id: voice.voice_id,
  });
}

export async function generateSampleClip(
  state: TrainingState,
): Promise<NonNullable<TrainingState['sample_clip']>> {
  const personality = await getPersonality(state.tenant_id, state.personality_id);
  const spoken = await speak({
    tenantId: state.tenant_id,
    personality,
    text: sampleText(personality),
    format: 'mp3',
  });
  if (spoken.voice_id !== state.voice?.voice_id) {
    throw new TrainingError(
      'TransientError',
      `The new voice did not speak the sample clip (${spoken.provider} stood in)`,
    );
  }
  await recordStep(state, { step: 'ready', progress: 100 });
  // The last step before the state machine succeeds: a failure any earlier still ends as failed.
  await announce(state, 'voice.training.succeeded', {
    provider: state.provider,
    voice_id: state.voice?.voice_id,
  });
  return { key: spoken.audio_url.split('?')[0]!, audio_seconds: spoken.audio_seconds };
}

/** Undoes a half-made voice: deleted at the provider, the personality back on its previous voice. */
export async function cleanup(state: TrainingState): Promise<{ deleted_voice: boolean; restored: boolean }> {
  let deleted = false;
  try {
    const voiceIds = new Set(state.voice?.voice_id ? [state.voice.voice_id] : []);
    const cloning = await configuredCloning(state.provider);
    // A voice whose create never answered is known only by the label naming this job.
    for (const id of (await cloning?.voicesLabelled?.({ training_job: state.job_id })) ?? [])
      voiceIds.add(id);
    if (voiceIds.size > 0) {
      const deleting = cloning ?? (await cloningOf(state.provider));
      for (const id of voiceIds) await deleting.deleteVoice(id);
      deleted = true;
    }
  } catch (error) {
    throw asTrainingError(error, `${state.provider} did not delete the half-made voice`);
  }
  const job = await trainingJob(state.tenant_id, state.personality_id, state.job_id);
  const personality = await getPersonality(state.tenant_id, state.personality_id);
  const ours = [PENDING_VOICE_ID, state.voice?.voice_id].includes(personality.voice_config?.voice_id);
  if (ours) {
    await setVoiceConfig(state.tenant_id, state.personality_id, job?.previous_voice_config, {
      onlyIfVoiceId: personality.voice_config!.voice_id,
    });
  }
  return { deleted_voice: deleted, restored: ours };
}

/** A Lambda error's Cause is JSON with errorMessage in AWS; the local runner passes the message itself. */
function reasonOf(error: TrainingState['error']): { code: string; message: string } {
  const code = error?.Error ?? 'UnknownError';
  let message = error?.Cause ?? 'The training failed.';
  try {
    const parsed = JSON.parse(message) as { errorMessage?: string };
    if (parsed.errorMessage) message = parsed.errorMessage;
  } catch {
    // Not JSON: the message as it came.
  }
  return { code, message };
}

export async function markFailed(state: TrainingState): Promise<void> {
  const job = await trainingJob(state.tenant_id, state.personality_id, state.job_id);
  if (!job || job.status === 'deleted') return;
  const error = reasonOf(state.error);
  await recordStep(state, { step: 'failed', progress: job.progress, status: 'failed', error });
  // MarkFailed is retried on any error; a job already failed has had its event.
  if (job.status !== 'failed') await announce(state, 'voice.training.failed', { error });
}
