// Speaks a text as a personality: prepares it, picks the voice chain, synthesises sentence by sentence through the
// cache with retries, breaker and fallback, records what each sentence cost, and joins one playable file.
import { config } from '../config.ts';
import { AppError, BadRequestError } from '../http/errors.ts';
import type { Personality } from '../personalities/schemas.ts';
import { logger } from '../powertools.ts';
import {
  TtsProviderError,
  type AudioFormat,
  type Pronunciation,
  type TtsProvider,
  type VoiceSettings,
} from '../providers/tts/port.ts';
import { speechCost } from '../providers/tts/prices.ts';
import { relevantSettings } from '../providers/tts/setting-ranges.ts';
import { presignedDownloadUrl } from '../store/objects.ts';
import { speechAllowance } from '../usage/allowance.ts';
import { noteSpokenCharacters } from '../usage/budget.ts';
import { recordUsage, usageRecord } from '../usage/usage-records.ts';
import { joinAudio } from '../audio/join.ts';
import { audioSeconds } from '../audio/measure.ts';
import { applyPronunciations } from './pronunciations.ts';
import { breakerFor, callWithResilience } from './resilience.ts';
import type { SpeechAnswer } from './schemas.ts';
import { speechContext, type SpeechContext } from './speech-context.ts';
import { normaliseSentence, splitSentences } from './sentences.ts';
import { prepareForSpeech } from './speech-text.ts';
import {
  cachedAudioExists,
  joinedKey,
  readCachedAudio,
  sentenceKey,
  writeCachedAudio,
  type SentenceIdentity,
} from './speech-cache.ts';
import { parseVoiceSpec, voiceChain, type ConfiguredVoice, type VoiceChoice } from './voice-chain.ts';

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

interface SpokenSentence {
  key: string;
  audio: Uint8Array;
  audioSeconds: number;
  characters: number;
  cached: boolean;
}

/** Sentences synthesised at once for one reply: enough to hide latency, few enough not to trip rate limits. */
const SENTENCE_CONCURRENCY = 3;
/** Presigned links to generated audio live this long (design: at most 15 minutes). */
const AUDIO_URL_SECONDS = 15 * 60;

/** Room left for the SSML a phoneme-capable provider wraps around the text, which counts against its limit. */
function inputLimit(provider: TtsProvider, maxInput: number): number {
  return provider.supportsPhonemes ? Math.floor(maxInput * 0.7) : maxInput;
}

async function mapLimited<T, R>(
  items: T[],
  limit: number,
  work: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const runners = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!, index);
    }
  });
  await Promise.all(runners);
  return results;
}

function phonemesIn(sentence: string, phonemes: Pronunciation[]): Pronunciation[] {
  const lower = sentence.toLowerCase();
  return phonemes.filter((entry) =>
    entry.case_sensitive ? sentence.includes(entry.grapheme) : lower.includes(entry.grapheme.toLowerCase()),
  );
}

/** One voice speaking every sentence; the first failure stops the rest, so the next voice can take over. */
async function speakWith(
  choice: VoiceChoice,
  provider: TtsProvider,
  prepared: string,
  lexicon: Pronunciation[],
  request: SpeakRequest,
): Promise<{ sentences: SpokenSentence[]; model: string }> {
  const { speech } = config();
  const model = choice.model ?? provider.defaultModel;
  const modelInfo = provider.models.find((candidate) => candidate.id === model);
  if (!modelInfo) {
    throw new TtsProviderError(provider.name, 'invalid_request', `${provider.name} has no model "${model}"`);
  }
  if (!modelInfo.formats.includes(request.format)) {
    throw new TtsProviderError(
      provider.name,
      'invalid_request',
      `${provider.name} ${model} does not offer ${request.format}`,
    );
  }
  const { text, phonemes } = applyPronunciations(prepared, lexicon, {
    phonemesSupported: provider.supportsPhonemes,
  });
  const sentences = splitSentences(text, {
    maxInput: inputLimit(provider, modelInfo.maxInput),
    unit: modelInfo.limitUnit,
  });
  const settings: VoiceSettings = relevantSettings(provider.name, { ...choice.settings });
  const breaker = breakerFor(provider.name, speech.circuit.threshold, speech.circuit.cooldownMs);
  const abort = new AbortController();

  const spoken = await mapLimited(sentences, SENTENCE_CONCURRENCY, async (sentence) => {
    if (abort.signal.aborted) throw abort.signal.reason;
    const sentencePhonemes = phonemesIn(sentence, phonemes);
    const identity: SentenceIdentity = {
      tenantId: request.tenantId,
      provider: provider.name,
      model,
      voiceId: choice.voiceId,
      settings,
      format: request.format,
      text: normaliseSentence(sentence),
      phonemes: sentencePhonemes,
    };
    const key = sentenceKey(identity);
    const characters = sentence.length;
    const cost = speechCost(provider.name, model, characters);
    const record = (cached: boolean, audioSeconds: number) =>
      recordUsage(
        usageRecord({
          tenant_id: request.tenantId,
          personality_id: request.personality.id,
          provider: provider.name,
          model,
          voice_id: choice.voiceId,
          characters,
          audio_seconds: audioSeconds,
          cost_usd: cached ? 0 : cost,
          cached,
          saved_usd: cached ? cost : 0,
          ...(request.requestId ? { request_id: request.requestId } : {}),
        }),
      );
    const cached = await readCachedAudio(key);
    if (cached) {
      await record(true, cached.audioSeconds);
      return { key, audio: cached.audio, audioSeconds: cached.audioSeconds, characters, cached: true };
    }
    try {
      const synthesis = await callWithResilience(
        provider.name,
        breaker,
        speech.retry,
        () =>
          provider.synthesize({
            text: sentence,
            voiceId: choice.voiceId,
            model,
            language: choice.language,
            settings,
            format: request.format,
            phonemes: sentencePhonemes,
            signal: abort.signal,
          }),
        {
          signal: abort.signal,
          onRetry: (attempt, error, delayMs) =>
            logger.warn('speech provider failed; retrying', {
              provider: provider.name,
              attempt,
              kind: error.kind,
              delayMs,
            }),
        },
      );
      const seconds = await audioSeconds(synthesis.audio, request.format);
      // The provider has been paid: the usage record goes in whether or not the cache keeps the audio.
      await Promise.all([
        writeCachedAudio(key, request.format, synthesis.audio, {
          audioSeconds: seconds,
          provider: provider.name,
          model,
          voiceId: choice.voiceId,
        }),
        record(false, seconds),
      ]);
      return { key, audio: synthesis.audio, audioSeconds: seconds, characters, cached: false };
    } catch (error) {
      abort.abort(error);
      throw error;
    }
  });
  return { sentences: spoken, model };
}

/** The one file of a reply: a single sentence is its own cached object; several are joined once and kept. */
async function joinedAudio(
  tenantId: string,
  sentences: SpokenSentence[],
  format: AudioFormat,
  choice: VoiceChoice,
  model: string,
) {
  if (sentences.length === 1) return sentences[0]!.key;
  const key = joinedKey(
    tenantId,
    sentences.map((sentence) => sentence.key),
    format,
  );
  // A reply with a sentence new to the cache has never been joined; only one said before is worth looking for.
  const joinedBefore = sentences.every((sentence) => sentence.cached) && (await cachedAudioExists(key));
  if (!joinedBefore) {
    const audio = joinAudio(
      sentences.map((sentence) => sentence.audio),
      format,
    );
    const seconds = sentences.reduce((sum, sentence) => sum + sentence.audioSeconds, 0);
    await writeCachedAudio(key, format, audio, {
      audioSeconds: seconds,
      provider: choice.provider,
      model,
      voiceId: choice.voiceId,
    });
  }
  return key;
}

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
      const { sentences, model } = await speakWith(choice, provider, prepared, lexicon, request);
      const key = await joinedAudio(request.tenantId, sentences, request.format, choice, model);
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
