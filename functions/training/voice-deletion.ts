// Deleting a custom voice: at the provider first, then the personality goes back to the voice it had before.
import type { AuthContext } from '../http/auth.ts';
import { AppError, ConflictError } from '../http/errors.ts';
import { getPersonality, setVoiceConfig } from '../personalities/personalities.ts';
import { TtsProviderError } from '../providers/tts/port.ts';
import { providerRegistry } from '../providers/tts/registry.ts';
import { table } from '../store/table.ts';
import { getTenantSettings } from '../tenants/tenants.ts';
import { recordAudit } from './audit.ts';
import { deleteSampleObject, sampleRecords } from './samples.ts';
import { trainingJobs } from './training.ts';

/**
 * 1. Only a ready custom voice can be deleted (a training still running finishes or fails first).
 * 2. The voice is deleted at the provider; if that fails nothing else changes, so the admin can try again.
 * 3. The personality gets back the voice it had before training; the job is marked deleted.
 * 4. The samples follow the tenant's retention: deleted now at 0 days, else kept that long (the bucket's lifecycle
 *    rule removes the objects, and their records expire with them).
 * 5. An audit event records who deleted it.
 */
export async function deleteCustomVoice(auth: AuthContext, personalityId: string) {
  const personality = await getPersonality(auth.tenantId, personalityId);
  const jobs = await trainingJobs(auth.tenantId, personalityId);
  if (jobs.some((job) => job.status === 'queued' || job.status === 'running')) {
    throw new ConflictError(
      'training_in_progress',
      'A voice is being trained for this personality; wait until it is ready or failed.',
    );
  }
  const job = jobs.find((candidate) => candidate.status === 'ready' && candidate.voice_id);
  if (!job?.voice_id || personality.voice_config?.voice_id !== job.voice_id) {
    throw new ConflictError('no_custom_voice', `"${personalityId}" has no custom voice to delete.`);
  }

  const registry = await providerRegistry();
  if (!registry.has(job.provider)) {
    throw new AppError(
      503,
      'provider_unavailable',
      `${job.provider} is not configured here, so its voice cannot be deleted now.`,
    );
  }
  try {
    await (await registry.get(job.provider)).cloning?.deleteVoice(job.voice_id);
  } catch (error) {
    if (error instanceof TtsProviderError) {
      throw new AppError(
        503,
        'provider_unavailable',
        `${job.provider} did not delete the voice (${error.kind}); nothing was changed. Try again shortly.`,
      );
    }
    throw error;
  }

  const restored = await setVoiceConfig(auth.tenantId, personalityId, job.previous_voice_config, {
    onlyIfVoiceId: job.voice_id,
  });
  await table()
    .trainingJobs.patch({ tenant_id: auth.tenantId, personality_id: personalityId, id: job.id })
    .set({ status: 'deleted', step: 'deleted', updated_at: new Date().toISOString() })
    .go();

  const { sample_retention_days: retentionDays } = await getTenantSettings(auth.tenantId);
  const samples = (await sampleRecords(auth.tenantId, personalityId)).filter((sample) =>
    job.sample_ids.includes(sample.id),
  );
  for (const sample of samples) {
    if (retentionDays === 0) {
      await deleteSampleObject(sample.s3_key);
      await table()
        .voiceSamples.delete({ tenant_id: auth.tenantId, personality_id: personalityId, id: sample.id })
        .go();
    } else {
      await table()
        .voiceSamples.patch({ tenant_id: auth.tenantId, personality_id: personalityId, id: sample.id })
        .set({ expiresAt: Math.floor(Date.now() / 1000) + retentionDays * 86_400 })
        .go();
    }
  }

  await recordAudit({
    tenantId: auth.tenantId,
    action: 'voice_deleted',
    actor: auth.subject,
    personalityId,
    details: {
      training_job_id: job.id,
      provider: job.provider,
      voice_id: job.voice_id,
      samples: samples.length,
      retention_days: retentionDays,
    },
  });
  return { status: 'none' as const, voice_config: restored.voice_config ?? null };
}
