// The ElevenLabs adapter: speech, streamed speech, the voice catalogue and instant voice cloning, through its SDK.
import {
  ElevenLabsClient,
  ElevenLabsError,
  ElevenLabsTimeoutError,
  type ElevenLabs,
} from '@elevenlabs/elevenlabs-js';
import { callerAborted, callFailed, resultFromPcm, retryAfterMs, streamFromPcm } from './adapter-support.ts';
import {
  AUDIO_FORMATS,
  TtsProviderError,
  type AudioFormat,
  type CloneStatus,
  type ModelInfo,
  type SynthesisRequest,
  type SynthesisResult,
  type TtsErrorKind,
  type TtsProvider,
  type VoiceInfo,
  type VoiceSettings,
} from './port.ts';
import { SETTING_RANGES } from './setting-ranges.ts';

export interface ElevenLabsOptions {
  apiKey: string;
  /** The API's origin without `/v1` (the SDK adds it), e.g. a simulator's `http://127.0.0.1:port`. */
  baseUrl?: string;
  /** Time allowed until the answer's headers arrive. */
  timeoutMs?: number;
}

/** The SDK's own default is 240 s; a spoken chat reply is worth far less waiting before falling back. */
const DEFAULT_TIMEOUT_MS = 30_000;

const model = (id: string, description: string, maxInput: number, lowLatency = false): ModelInfo => ({
  id,
  description,
  maxInput,
  limitUnit: 'characters',
  formats: AUDIO_FORMATS,
  ...(lowLatency ? { lowLatency } : {}),
});
// Per-request character limits from ElevenLabs' help centre ("API - Error Code 400 or 401").
const MODELS: readonly ModelInfo[] = [
  model('eleven_multilingual_v2', 'Multilingual v2: the most expressive, 29 languages', 10_000),
  model('eleven_flash_v2_5', 'Flash v2.5: ~75 ms model latency, 32 languages, half the price', 40_000, true),
  model('eleven_turbo_v2_5', 'Turbo v2.5: low latency, quality between Flash and Multilingual', 40_000, true),
];
const DEFAULT_MODEL = 'eleven_multilingual_v2';

/**
 * `output_format` per format. ElevenLabs has a 24 kHz MP3 (`mp3_24000_48`), so no resampling is needed.
 * WAV is built here from `pcm_24000` rather than asked for as `wav_24000`, because ElevenLabs streams its WAV
 * with placeholder sizes in the header, which strict readers take for hours of audio.
 */
const OUTPUT_FORMATS = { mp3: 'mp3_24000_48', wav: 'pcm_24000', pcm: 'pcm_24000' } as const satisfies Record<
  AudioFormat,
  ElevenLabs.TextToSpeechConvertRequestOutputFormat
>;

const MAX_VOICE_PAGES = 50;

export function createElevenLabsProvider(options: ElevenLabsOptions): TtsProvider {
  // The platform owns retries (backoff, fallback, circuit breaker): the SDK's two hidden retries are turned off.
  const client = new ElevenLabsClient({
    apiKey: options.apiKey,
    maxRetries: 0,
    timeoutInSeconds: (options.timeoutMs ?? DEFAULT_TIMEOUT_MS) / 1000,
    ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}),
  });

  /** Every voice of the account (of one category), page by page. */
  async function accountVoices(category?: 'cloned') {
    const voices: Awaited<ReturnType<typeof client.voices.search>>['voices'] = [];
    let nextPageToken: string | undefined;
    try {
      // GET /v2/voices pages through the account's voices; the v1 list is deprecated and stops at 500.
      for (let page = 0; page < MAX_VOICE_PAGES; page++) {
        const answer = await client.voices.search({
          pageSize: 100,
          ...(category ? { category } : {}),
          ...(nextPageToken ? { nextPageToken } : {}),
        });
        voices.push(...answer.voices);
        nextPageToken = answer.hasMore ? answer.nextPageToken : undefined;
        if (!nextPageToken) break;
      }
    } catch (error) {
      throw toProviderError(error);
    }
    return voices;
  }

  function speechBody(request: SynthesisRequest, model: string) {
    const voiceSettings = toVoiceSettings(request.settings);
    return {
      text: request.text,
      modelId: model,
      outputFormat: OUTPUT_FORMATS[request.format],
      ...(voiceSettings ? { voiceSettings } : {}),
      // The API ignores language_code for multilingual v2 (it detects the language from the text).
      ...(request.language && model !== 'eleven_multilingual_v2'
        ? { languageCode: primaryLanguage(request.language) }
        : {}),
    };
  }

  return {
    name: 'elevenlabs',
    models: MODELS,
    defaultModel: DEFAULT_MODEL,
    settings: SETTING_RANGES.elevenlabs,
    supportsPhonemes: false,

    async synthesize(request: SynthesisRequest): Promise<SynthesisResult> {
      const model = request.model ?? DEFAULT_MODEL;
      try {
        const body = await client.textToSpeech.convert(request.voiceId, speechBody(request, model), {
          ...(request.signal ? { abortSignal: request.signal } : {}),
        });
        return resultFromPcm(await readAll(body), request.format, model);
      } catch (error) {
        throw toProviderError(error, request.signal);
      }
    },

    async *stream(request: SynthesisRequest): AsyncIterable<Uint8Array> {
      const model = request.model ?? DEFAULT_MODEL;
      try {
        const body = await client.textToSpeech.stream(request.voiceId, speechBody(request, model), {
          ...(request.signal ? { abortSignal: request.signal } : {}),
        });
        yield* streamFromPcm(body, request.format);
      } catch (error) {
        throw toProviderError(error, request.signal);
      }
    },

    async listVoices(filter?: { language?: string }): Promise<VoiceInfo[]> {
      const voices = (await accountVoices()).map(toVoiceInfo);
      const language = filter?.language;
      return language ? voices.filter((voice) => speaks(voice.languages, language)) : voices;
    },

    cloning: {
      async createVoice(request) {
        try {
          const created = await client.voices.ivc.create({
            name: request.name,
            files: request.samples.map((sample) => ({
              data: sample.bytes,
              filename: sample.fileName,
              contentType: sample.contentType,
            })),
            // Samples are validated for noise before they get here; the docs warn the isolation model can make
            // clean recordings worse.
            removeBackgroundNoise: false,
            ...(request.description ? { description: request.description } : {}),
            ...(request.labels ? { labels: request.labels } : {}),
          });
          return { voiceId: created.voiceId, status: created.requiresVerification ? 'processing' : 'ready' };
        } catch (error) {
          throw toProviderError(error);
        }
      },

      async voiceStatus(voiceId: string): Promise<CloneStatus> {
        try {
          const voice = await client.voices.get(voiceId);
          // An instant clone is usable at once, unless ElevenLabs asks its owner to verify it first.
          const verification = voice.voiceVerification;
          return verification?.requiresVerification && !verification.isVerified ? 'processing' : 'ready';
        } catch (error) {
          const mapped = toProviderError(error);
          if (mapped.kind === 'voice_not_found') return 'missing';
          throw mapped;
        }
      },

      async voicesLabelled(labels: Record<string, string>): Promise<string[]> {
        return (await accountVoices('cloned'))
          .filter((voice) => Object.entries(labels).every(([name, value]) => voice.labels?.[name] === value))
          .map((voice) => voice.voiceId);
      },

      async deleteVoice(voiceId: string): Promise<void> {
        try {
          await client.voices.delete(voiceId);
        } catch (error) {
          const mapped = toProviderError(error);
          if (mapped.kind !== 'voice_not_found') throw mapped;
        }
      },
    },
  };
}

function toVoiceSettings(settings: VoiceSettings | undefined): ElevenLabs.VoiceSettings | undefined {
  if (!settings) return undefined;
  const mapped: ElevenLabs.VoiceSettings = {
    ...(settings.stability !== undefined ? { stability: settings.stability } : {}),
    ...(settings.similarity_boost !== undefined ? { similarityBoost: settings.similarity_boost } : {}),
    ...(settings.style !== undefined ? { style: settings.style } : {}),
    ...(settings.use_speaker_boost !== undefined ? { useSpeakerBoost: settings.use_speaker_boost } : {}),
    ...(settings.speed !== undefined ? { speed: settings.speed } : {}),
  };
  // Without any, the voice's own stored settings apply.
  return Object.keys(mapped).length > 0 ? mapped : undefined;
}

function toVoiceInfo(voice: ElevenLabs.Voice): VoiceInfo {
  const gender = voice.labels?.gender?.toLowerCase();
  return {
    id: voice.voiceId,
    name: voice.name ?? voice.voiceId,
    languages: languagesOf(voice),
    ...(gender === 'male' || gender === 'female' || gender === 'neutral' ? { gender } : {}),
    custom: voice.category !== undefined && voice.category !== 'premade',
  };
}

/** Verified languages name a locale (en-US) or at least a language (en); a cloned voice may only have a label. */
function languagesOf(voice: ElevenLabs.Voice): string[] {
  const found = (voice.verifiedLanguages ?? []).map((verified) => verified.locale ?? verified.language);
  if (found.length === 0 && voice.labels?.language) found.push(voice.labels.language);
  return [...new Set(found)];
}

function primaryLanguage(tag: string): string {
  return tag.split('-')[0]?.toLowerCase() ?? tag;
}

/** `en` matches any English; `en-GB` matches en-GB and a voice that only says `en`. */
function speaks(languages: string[], wanted: string): boolean {
  const want = wanted.toLowerCase();
  return languages.some((language) => {
    const have = language.toLowerCase();
    if (have === want) return true;
    if (primaryLanguage(have) !== primaryLanguage(want)) return false;
    return !have.includes('-') || !want.includes('-');
  });
}

async function readAll(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** ElevenLabs puts `{status, message}` in `detail`; validation errors (422) put a list there instead. */
function errorDetail(body: unknown): { status?: string; message?: string } {
  if (!body || typeof body !== 'object' || !('detail' in body)) return {};
  const detail = body.detail;
  if (typeof detail === 'string') return { message: detail };
  if (Array.isArray(detail)) return { message: JSON.stringify(detail) };
  if (!detail || typeof detail !== 'object') return {};
  const fields = detail as Record<string, unknown>;
  const status = [fields.status, fields.code].find((value): value is string => typeof value === 'string');
  const message = typeof fields.message === 'string' ? fields.message : undefined;
  return { ...(status ? { status } : {}), ...(message ? { message } : {}) };
}

function kindOf(status: number, code: string | undefined): TtsErrorKind {
  // quota_exceeded arrives as 401 or 400 and must not read as a bad key or a bad request.
  if (code === 'quota_exceeded') return 'quota_exceeded';
  if (status >= 500 || code === 'system_busy') return 'retryable';
  if (status === 429) return 'rate_limited';
  if (status === 408) return 'timeout';
  if (status === 404 || code === 'voice_not_found' || code === 'model_not_found') return 'voice_not_found';
  if (status === 401 || status === 403) return 'auth';
  return 'invalid_request';
}

/** Any failure of an SDK call, in the port's terms. */
export function toProviderError(error: unknown, signal?: AbortSignal): TtsProviderError {
  if (error instanceof TtsProviderError) return error;
  const details = { cause: error };
  if (signal?.aborted) return callerAborted('elevenlabs', 'ElevenLabs', error);
  // The SDK throws ElevenLabsTimeoutError only for an AbortError; native fetch rejects with the SDK's own abort
  // reason instead, the string "timeout", which arrives as an ElevenLabsError without a status.
  if (
    error instanceof ElevenLabsTimeoutError ||
    (error instanceof ElevenLabsError && error.cause === 'timeout')
  ) {
    return new TtsProviderError('elevenlabs', 'timeout', 'ElevenLabs did not answer in time', details);
  }
  if (error instanceof ElevenLabsError && error.statusCode !== undefined) {
    const status = error.statusCode;
    const { status: code, message } = errorDetail(error.body);
    const kind = kindOf(status, code);
    const wait =
      kind === 'rate_limited' ? retryAfterMs(error.rawResponse?.headers.get('retry-after')) : undefined;
    return new TtsProviderError(
      'elevenlabs',
      kind,
      `ElevenLabs answered ${status}${code ? ` ${code}` : ''}${message ? `: ${message}` : ''}`,
      {
        status,
        ...(code ? { providerCode: code } : {}),
        ...(wait !== undefined ? { retryAfterMs: wait } : {}),
        ...details,
      },
    );
  }
  // No status: the connection failed, was reset, or the audio stream broke off — worth another try.
  return callFailed('elevenlabs', 'ElevenLabs', error);
}
