// Training a custom voice: the checks before it starts, its status while it runs, and deleting the voice after.
import { createHash } from 'node:crypto';
import type { AuthContext } from '../http/auth.ts';
import { AppError, BadRequestError } from '../http/errors.ts';
import { getPersonality, listPersonalities, setVoiceConfig } from '../personalities/personalities.ts';
import type { Personality, VoiceConfig } from '../personalities/schemas.ts';
import { logger } from '../powertools.ts';
import { providerRegistry } from '../providers/tts/registry.ts';
import { assertSettingsInRange } from '../providers/tts/setting-ranges.ts';
import { table } from '../store/table.ts';
import { recordAudit } from './audit.ts';
import { sampleRecords } from './samples.ts';
import {
  MAX_TRAINING_SECONDS,
  MIN_TRAINING_SECONDS,
  type TrainingState,
  type TrainRequest,
} from './schemas.ts';
import { startTrainingExecution } from './state-machine.ts';
import { config } from '../config.ts';
import { isConditionFailure } from '../store/dynamodb.ts';
import { getTenantPlan } from '../tenants/tenants.ts';
import { customVoiceRefusal, nextMonthStart, speechAllowance } from '../usage/allowance.ts';
import { monthUsage } from '../usage/budget.ts';

/** The voice_id a personality carries while its new voice is being made; it never reaches a provider. */
export const PENDING_VOICE_ID = 'pending-training';

export interface TrainingJob {
  tenant_id: string;
  personality_id: string;
  id: string;
  status: 'queued' | 'running' | 'ready' | 'failed' | 'deleted';
  step: string;
  progress: number;
  provider: 'elevenlabs' | 'local';
  voice_id?: string;
  sample_ids: string[];
  settings?: unknown;
  consent: TrainRequest['consent'] & { attested_at: string };
  requested_by: string;
  previous_voice_config?: VoiceConfig;
  execution_arn?: string;
  error?: { code: string; message: string };
  created_at: string;
  updated_at: string;
}

export async function trainingJobs(tenantId: string, personalityId: string): Promise<TrainingJob[]> {
  const { data } = await table()
    .trainingJobs.query.byPersonality({ tenant_id: tenantId, personality_id: personalityId })
    .go({ pages: 'all' });
  return (data as TrainingJob[]).sort((a, b) => b.created_at.localeCompare(a.created_at));
}

export async function trainingJob(
  tenantId: string,
  personalityId: string,
  jobId: string,
): Promise<TrainingJob | undefined> {
  const { data } = await table()
    .trainingJobs.get({ tenant_id: tenantId, personality_id: personalityId, id: jobId })
    .go({ consistent: true });
  return (data as TrainingJob | null) ?? undefined;
}

/** The same request gives the same id, so a double submit finds the first job instead of starting a second. */
function requestHash(
  tenantId: string,
  personalityId: string,
  request: TrainRequest,
  provider: string,
  salt = '',
): string {
  const canonical = JSON.stringify([
    tenantId,
    personalityId,
    [...request.sample_ids].sort(),
    provider,
    request.settings ?? {},
    request.voice_name ?? '',
    request.consent,
    salt,
  ]);
  return createHash('sha256').update(canonical).digest('hex').slice(0, 32);
}

async function chooseProvider(request: TrainRequest): Promise<'elevenlabs' | 'local'> {
  const registry = await providerRegistry();
  const provider = request.provider ?? (registry.has('elevenlabs') ? 'elevenlabs' : 'local');
  if (!registry.has(provider) || !(await registry.get(provider)).cloning) {
    throw new BadRequestError(
      'provider_cannot_clone',
      `provider: ${provider} is not configured to clone voices here; configured: ${registry.names.join(', ') || 'none'}.`,
    );
  }
  return provider;
}

/** The samples named, each valid, together 60–600 s; otherwise a 400 naming the problem. */
async function checkSamples(tenantId: string, personalityId: string, sampleIds: string[]) {
  const held = new Map((await sampleRecords(tenantId, personalityId)).map((sample) => [sample.id, sample]));
  const seconds = sampleIds.reduce((sum, id) => {
    const sample = held.get(id);
    if (!sample)
      throw new BadRequestError(
        'sample_not_found',
        `sample_ids: "${id}" is not a sample of this personality.`,
      );
    if (sample.status !== 'valid') {
      const reason = (sample.report as { reasons?: Array<{ message: string }> } | undefined)?.reasons?.[0]
        ?.message;
      throw new BadRequestError(
        'sample_not_valid',
        `sample_ids: "${id}" (${sample.file_name}) is ${sample.status === 'pending' ? 'not checked yet' : `rejected${reason ? `: ${reason}` : ''}`}.`,
      );
    }
    return sum + (sample.duration_seconds ?? 0);
  }, 0);
  if (seconds < MIN_TRAINING_SECONDS) {
    throw new BadRequestError(
      'not_enough_audio',
      `The samples hold ${Math.round(seconds)} s of recording; a voice needs at least ${MIN_TRAINING_SECONDS} s (1 minute).`,
    );
  }
  if (seconds > MAX_TRAINING_SECONDS) {
    throw new BadRequestError(
      'too_much_audio',
      `The samples hold ${Math.round(seconds)} s of recording; a voice is trained on at most ${MAX_TRAINING_SECONDS} s (10 minutes).`,
    );
  }
}

/** The personality's voice while training: the new one pending, the voice it had speaking meanwhile. */
function trainingVoiceConfig(personality: Personality, provider: string, request: TrainRequest): VoiceConfig {
  const previous = personality.voice_config;
  return {
    provider: provider as VoiceConfig['provider'],
    voice_id: PENDING_VOICE_ID,
    voice_name: request.voice_name ?? `${personality.name} (custom)`,
    language: previous?.language ?? personality.language,
    status: 'training',
    ...(request.settings ? { settings: request.settings } : {}),
    ...(previous
      ? {
          fallback:
            previous.status === 'ready'
              ? previous.fallback
              : { provider: previous.provider, voice_id: previous.voice_id },
        }
      : {}),
  };
}

/**
 * The plan must offer custom voices and have room for one more besides the personality's own; else a 403. A month
 * whose budget is spent is refused too: custom voices do not speak past it, so the new voice could not say its
 * sample clip and the training would fail at its last step.
 */
async function checkPlanAllowsVoice(tenantId: string, personalityId: string): Promise<void> {
  const [plan, personalities, usage] = await Promise.all([
    getTenantPlan(tenantId),
    listPersonalities(tenantId),
    monthUsage(tenantId),
  ]);
  const refusal = customVoiceRefusal(plan, personalities, personalityId);
  if (refusal) throw new AppError(403, refusal.code, refusal.message, refusal.details);
  const allowance = speechAllowance(plan, usage.billableCharacters, usage.month);
  if (!allowance.speaks || allowance.customVoiceRefusal === 'budget_exceeded') {
    throw new AppError(
      403,
      'budget_exceeded',
      `This month's speech budget on the ${plan.name} plan is used up, so custom voices are paused until ` +
        `${nextMonthStart(usage.month)}; train the voice then.`,
      { plan: plan.id, month: usage.month, used_characters: usage.billableCharacters },
    );
  }
}

/**
 * Starts a training.
 * 1. The personality exists, the plan allows another custom voice, a configured provider clones, the consent is
 *    attested (schema), the samples are valid and hold 60–600 s together.
 * 2. The same request again answers with the job it already started.
 * 3. One training per tenant per hour: the lock and the job are written in one transaction.
 * 4. The personality speaks with its previous voice meanwhile; an audit event records who asked, with the consent.
 * 5. The execution is named after the job; if it cannot start, everything above is undone. A job left queued by
 *    a request that failed half-way is launched by the next same request.
 */
export async function startTraining(auth: AuthContext, personalityId: string, request: TrainRequest) {
  const personality = await getPersonality(auth.tenantId, personalityId);
  await checkPlanAllowsVoice(auth.tenantId, personalityId);
  const provider = await chooseProvider(request);
  if (request.settings) assertSettingsInRange(provider, { ...request.settings });
  await checkSamples(auth.tenantId, personalityId, request.sample_ids);

  let jobId = requestHash(auth.tenantId, personalityId, request, provider);
  for (let existing = await trainingJob(auth.tenantId, personalityId, jobId); existing;) {
    if (existing.status === 'running') return { training_job_id: existing.id, status: existing.status };
    // Still queued: the request that wrote it may have failed before its execution started; carry on from there.
    if (existing.status === 'queued') return launch(auth, personality, existing, request);
    // The same request after that training ended is a new training.
    jobId = requestHash(auth.tenantId, personalityId, request, provider, existing.created_at);
    existing = await trainingJob(auth.tenantId, personalityId, jobId);
  }

  const now = new Date();
  const created_at = now.toISOString();
  const intervalSeconds = config().training.intervalSeconds;
  const nowSeconds = Math.floor(now.getTime() / 1000);
  const job: TrainingJob = {
    tenant_id: auth.tenantId,
    personality_id: personalityId,
    id: jobId,
    status: 'queued',
    step: 'queued',
    progress: 0,
    provider,
    sample_ids: request.sample_ids,
    ...(request.settings ? { settings: request.settings } : {}),
    consent: { ...request.consent, attested_at: created_at },
    requested_by: auth.subject,
    ...(personality.voice_config ? { previous_voice_config: personality.voice_config } : {}),
    created_at,
    updated_at: created_at,
  };
  const written = await table()
    .service.transaction.write(({ trainingLocks, trainingJobs }) => [
      trainingLocks
        .put({ tenant_id: auth.tenantId, job_id: jobId, started_at: nowSeconds })
        .where(
          ({ started_at }, { notExists, lte }) =>
            `${notExists(started_at)} OR ${lte(started_at, nowSeconds - intervalSeconds)}`,
        )
        .commit(),
      trainingJobs.create(job).commit(),
    ])
    .go();
  if (written.canceled) {
    const [lock, created] = written.data;
    if (created?.code === 'ConditionalCheckFailed') {
      // A double submit, or this very write retried after its answer was lost: the job may not be launched yet.
      const raced = await trainingJob(auth.tenantId, personalityId, jobId);
      if (raced?.status === 'queued') return launch(auth, personality, raced, request);
      return { training_job_id: jobId, status: raced?.status ?? 'queued' };
    }
    if (lock?.code === 'ConditionalCheckFailed') {
      const { data: current } = await table()
        .trainingLocks.get({ tenant_id: auth.tenantId })
        .go({ consistent: true });
      const retryAfter = Math.max(1, (current?.started_at ?? nowSeconds) + intervalSeconds - nowSeconds);
      throw new AppError(
        429,
        'training_rate_limited',
        `A voice was already trained for this tenant in the last hour; the next one can start in ${Math.ceil(retryAfter / 60)} min.`,
        { retry_after_seconds: retryAfter },
        { 'retry-after': String(retryAfter) },
      );
    }
    throw new Error(
      `Training transaction cancelled: ${written.data.map((item) => item.code ?? 'None').join(', ')}`,
    );
  }

  return launch(auth, personality, job, request);
}

/**
 * What follows the job's write: the personality speaks its previous voice meanwhile, an audit event records who
 * asked, the execution starts, the job is running. Safe to repeat for a job still queued: the execution is named
 * after the job, so a second start starts nothing new. If it cannot finish, the start is undone.
 */
async function launch(
  auth: AuthContext,
  personality: Personality,
  job: TrainingJob,
  request: TrainRequest,
): Promise<{ training_job_id: string; status: 'running' }> {
  const { personality_id: personalityId, provider } = job;
  const state: TrainingState = {
    tenant_id: auth.tenantId,
    personality_id: personalityId,
    job_id: job.id,
    provider,
    voice_name: request.voice_name ?? `${personality.name} (custom)`,
    sample_ids: request.sample_ids,
  };
  try {
    // Already pending when an earlier request got this far: its previous voice is kept in the job.
    if (personality.voice_config?.voice_id !== PENDING_VOICE_ID)
      await setVoiceConfig(auth.tenantId, personalityId, trainingVoiceConfig(personality, provider, request));
    await recordAudit({
      tenantId: auth.tenantId,
      action: 'voice_training_requested',
      actor: auth.subject,
      personalityId,
      details: { training_job_id: job.id, provider, sample_ids: request.sample_ids, consent: job.consent },
    });
    const executionArn = await startTrainingExecution(state);
    await table()
      .trainingJobs.patch({ tenant_id: auth.tenantId, personality_id: personalityId, id: job.id })
      .set({
        status: 'running',
        step: 'starting',
        execution_arn: executionArn,
        updated_at: new Date().toISOString(),
      })
      .go();
  } catch (error) {
    logger.error('training could not start; undoing it', { jobId: job.id, error: error as Error });
    await undoStart(auth.tenantId, personalityId, job);
    throw new AppError(
      503,
      'training_unavailable',
      'The training could not be started just now; nothing was changed. Try again shortly.',
    );
  }
  return { training_job_id: job.id, status: 'running' };
}

async function undoStart(tenantId: string, personalityId: string, job: TrainingJob): Promise<void> {
  await setVoiceConfig(tenantId, personalityId, job.previous_voice_config, {
    onlyIfVoiceId: PENDING_VOICE_ID,
  }).catch(() => undefined);
  await table()
    .trainingJobs.patch({ tenant_id: tenantId, personality_id: personalityId, id: job.id })
    .set({
      status: 'failed',
      step: 'failed',
      error: { code: 'not_started', message: 'The training could not be started.' },
    })
    .go()
    .catch(() => undefined);
  // Releasing the lock lets the admin try again at once: nothing was trained.
  await table()
    .trainingLocks.delete({ tenant_id: tenantId })
    .where(({ job_id }, { eq }) => eq(job_id, job.id))
    .go()
    .catch((error: unknown) => {
      if (!isConditionFailure(error)) throw error;
    });
}

/** Where the personality's custom voice stands, from its latest training. */
export async function trainingStatus(tenantId: string, personalityId: string) {
  const personality = await getPersonality(tenantId, personalityId);
  const [latest] = await trainingJobs(tenantId, personalityId);
  if (!latest || latest.status === 'deleted') {
    return {
      status: 'none' as const,
      progress: 0,
      step: 'none',
      provider: null,
      voice_id: null,
      training_job_id: null,
      error: null,
      updated_at: latest?.updated_at ?? personality.updated_at ?? null,
    };
  }
  const status = latest.status === 'queued' || latest.status === 'running' ? 'training' : latest.status;
  return {
    status,
    progress: status === 'ready' ? 100 : latest.progress,
    step: latest.step,
    provider: latest.provider,
    voice_id: latest.voice_id ?? null,
    training_job_id: latest.id,
    error: latest.error ?? null,
    updated_at: latest.updated_at,
  };
}
