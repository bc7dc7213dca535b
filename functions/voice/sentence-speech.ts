// One voice speaking a prepared text, sentence by sentence: each through the cache, or synthesised with retries and
// the provider's breaker and then cached, each with its usage record; and the reply's sentences joined into one file.
import { config } from '../config.ts';
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
import { recordUsages, usageRecord, type UsageRecord } from '../usage/usage-records.ts';
import { joinAudio } from '../audio/join.ts';
import { audioSeconds } from '../audio/measure.ts';
import { applyPronunciations } from './pronunciations.ts';
import { breakerFor, callWithResilience } from './resilience.ts';
import { normaliseSentence, splitSentences } from './sentences.ts';
import {
  cachedAudioExists,
  joinedKey,
  readCachedAudio,
  sentenceKey,
  writeCachedAudio,
  type SentenceIdentity,
} from './speech-cache.ts';
import type { VoiceChoice } from './voice-chain.ts';

/** Whose speech it is and in which format: what `speakWith` needs of the request. */
export interface SentenceSpeechRequest {
  tenantId: string;
  personalityId: string;
  format: AudioFormat;
  requestId?: string | undefined;
}

export interface SpokenSentence {
  key: string;
  audio: Uint8Array;
  audioSeconds: number;
  characters: number;
  cached: boolean;
}

/** Sentences synthesised at once for one reply: enough to hide latency, few enough not to trip rate limits. */
const SENTENCE_CONCURRENCY = 3;

/** Room left for the SSML a phoneme-capable provider wraps around the text, which counts against its limit. */
function inputLimit(provider: TtsProvider, maxInput: number): number {
  return provider.supportsPhonemes ? Math.floor(maxInput * 0.7) : maxInput;
}

/** Runs `work` over the items with at most `limit` at once, keeping the order of results. */
export async function mapLimited<T, R>(
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

/**
 * One voice speaking every sentence; the first failure stops the rest, so the next voice can take over. The usage
 * records of what was spoken come back for the caller to write; if a sentence fails, they are written here first.
 */
export async function speakWith(
  choice: VoiceChoice,
  provider: TtsProvider,
  prepared: string,
  lexicon: Pronunciation[],
  request: SentenceSpeechRequest,
): Promise<{ sentences: SpokenSentence[]; model: string; records: UsageRecord[] }> {
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
  // What each sentence cost, whatever becomes of the others: paid speech is recorded even when the voice fails.
  const records: UsageRecord[] = [];
  // The first failure, which aborts the other sentences: their own errors then only echo it.
  let failure: { error: unknown } | undefined;

  const speakSentence = async (sentence: string): Promise<SpokenSentence> => {
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
      records.push(
        usageRecord({
          tenant_id: request.tenantId,
          personality_id: request.personalityId,
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
      record(true, cached.audioSeconds);
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
      record(false, seconds);
      await writeCachedAudio(key, request.format, synthesis.audio, {
        audioSeconds: seconds,
        provider: provider.name,
        model,
        voiceId: choice.voiceId,
      });
      return { key, audio: synthesis.audio, audioSeconds: seconds, characters, cached: false };
    } catch (error) {
      failure ??= { error };
      abort.abort(error);
      throw error;
    }
  };

  // Every sentence runs to its end (the first failure aborts the rest), so none is left unrecorded.
  const spoken = await mapLimited(sentences, SENTENCE_CONCURRENCY, (sentence) =>
    speakSentence(sentence).catch((error: unknown) => {
      failure ??= { error };
      return undefined;
    }),
  );
  if (failure) {
    await recordUsages(records);
    throw failure.error;
  }
  return { sentences: spoken as SpokenSentence[], model, records };
}

/** The one file of a reply: a single sentence is its own cached object; several are joined once and kept. */
export async function joinedAudio(
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
