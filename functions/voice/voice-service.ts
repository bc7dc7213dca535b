// Speaks a text as a personality: prepares it, picks the voice chain, synthesises sentence by sentence through the
// cache with retries, breaker and fallback, records what each sentence cost, and joins one playable file.
import { config } from '../config.ts';
import { AppError, BadRequestError } from '../http/errors.ts';
import type { Personality } from '../personalities/schemas.ts';
import { logger } from '../powertools.ts';
import { allSettled } from '../settled.ts';
import { TtsProviderError, type AudioFormat, type VoiceSettings } from '../providers/tts/port.ts';
import { presignedDownloadUrl } from '../store/objects.ts';
import { speechAllowance } from '../usage/allowance.ts';
import { noteSpokenCharacters } from '../usage/budget.ts';
import { recordUsages } from '../usage/usage-records.ts';
import type { SpeechAnswer } from './schemas.ts';
import { joinedAudio, speakWith } from './sentence-speech.ts';
import { speechContext, type SpeechContext } from './speech-context.ts';
import { prepareForSpeech } from './speech-text.ts';
import { parseVoiceSpec, voiceChain, type ConfiguredVoice } from './voice-chain.ts';

export interface SpeakRequest {
  tenantId: string;
  personality: Personality;
  text: string;
  format: AudioFormat;
  settings?: VoiceSettings | undefined;
  model?: string | undefined;
  requestId?: string | undefined;
  /** What `speechContext` read, when the caller started reading it earlier (a chat turn, while the model writes). */
  context?: Promise<SpeechContext> | undefined;
}

/** Presigned links to generated audio live this long (design: at most 15 minutes). */
const AUDIO_URL_SECONDS = 15 * 60;

/** The answer of the voice routes, plus the audio's key for callers that store it (chat messages). */
export type SpokenAudio = SpeechAnswer & { audio_key: string };

/**
 * Speaks `text` as the personality.
 * 1. Prepare the text for speech; nothing left to say is a 400.
 * 2. Read the tenant's plan and this month's usage once: a plan without voices, or a spent hard limit, is a 403;
 *    a plan of default voices, or a spent budget, passes over the personality's cloned voice.
 * 3. Build the voice chain (own voice, fallback, tenant default, platform default) from configured providers.
 * 4. Try each voice in turn: every sentence through the cache, retries and the provider's breaker.
 * 5. Join the sentences, presign the file, and say which voice spoke and why others did not.
 * 6. Warn the tenant once when this speech brought the month to 80% of its budget.
 */
export async function speak(request: SpeakRequest): Promise<SpokenAudio> {
  const prepared = prepareForSpeech(request.text, { language: request.personality.language });
  if (!prepared) {
    throw new BadRequestError(
      'nothing_to_say',
      'The text has nothing to read aloud once markdown, emoji, links and stage directions are removed.',
    );
  }
  const { speech, audioBucket } = config();
  const { registry, tenant, usage, lexicon } = await (request.context ??
    speechContext(request.tenantId, request.personality.id));
  const allowance = speechAllowance(tenant.plan, usage.billableCharacters, usage.month);
  if (!allowance.speaks) throw new AppError(403, allowance.code, allowance.message, allowance.details);
  const { chain, skipped } = voiceChain({
    personality: request.personality,
    tenantDefault: tenant.default_voice as ConfiguredVoice | undefined,
    platformDefault: parseVoiceSpec(speech.defaultVoice),
    isConfigured: registry.has,
    settingsOverride: request.settings,
    modelOverride: request.model,
    customVoiceRefusal: allowance.customVoiceRefusal,
  });
  const failures: Array<SpeechAnswer['fallback_reasons'][number] & { order: number }> = [];
  /** Voices before the one that spoke (or all of them, when none could), in chain order. */
  const passedOver = (before = Number.POSITIVE_INFINITY): SpeechAnswer['fallback_reasons'] =>
    [...skipped, ...failures]
      .filter((voice) => voice.order < before)
      .sort((a, b) => a.order - b.order)
      .map(
        ({
          order: _order,
          source: _source,
          ...voice
        }: { order: number; source?: unknown } & SpeechAnswer['fallback_reasons'][number]) => voice,
      );
  const ownVoice = request.personality.voice_config;

  for (const choice of chain) {
    try {
      const provider = await registry.get(choice.provider);
      const { sentences, model, records } = await speakWith(choice, provider, prepared, lexicon, {
        tenantId: request.tenantId,
        personalityId: request.personality.id,
        format: request.format,
        requestId: request.requestId,
      });
      // One write of the reply's usage, while its sentences are joined.
      const [key] = await allSettled([
        joinedAudio(request.tenantId, sentences, request.format, choice, model),
        recordUsages(records),
      ]);
      const cachedSentences = sentences.filter((sentence) => sentence.cached).length;
      const billable = sentences.reduce(
        (sum, sentence) => sum + (sentence.cached ? 0 : sentence.characters),
        0,
      );
      await noteSpokenCharacters(request.tenantId, tenant.plan, usage, billable);
      return {
        audio_url: await presignedDownloadUrl(audioBucket, key, AUDIO_URL_SECONDS),
        audio_key: key,
        format: request.format,
        cached: cachedSentences === sentences.length,
        provider: choice.provider,
        model,
        voice_id: choice.voiceId,
        fell_back: ownVoice ? choice.source !== 'personality' : passedOver(choice.order).length > 0,
        fallback_reasons: passedOver(choice.order),
        characters: sentences.reduce((sum, sentence) => sum + sentence.characters, 0),
        audio_seconds:
          Math.round(sentences.reduce((sum, sentence) => sum + sentence.audioSeconds, 0) * 1000) / 1000,
        sentences: sentences.length,
        cached_sentences: cachedSentences,
      };
    } catch (error) {
      if (!(error instanceof TtsProviderError)) throw error;
      logger.warn('voice failed; falling back', {
        provider: choice.provider,
        voiceId: choice.voiceId,
        kind: error.kind,
      });
      failures.push({
        provider: choice.provider,
        voice_id: choice.voiceId,
        reason: error.kind,
        message: error.message,
        order: choice.order,
      });
    }
  }

  const attempts = passedOver();
  const tried = attempts.map((attempt) => `${attempt.provider} (${attempt.reason})`).join(', ');
  throw new AppError(
    503,
    chain.length ? 'speech_unavailable' : 'no_voice_available',
    chain.length
      ? `No voice could speak this text just now: ${tried}. Try again shortly.`
      : `No configured provider can speak for this personality: ${tried || 'no voice is set and there is no default voice'}.`,
    { attempts },
    { 'retry-after': '30' },
  );
}
