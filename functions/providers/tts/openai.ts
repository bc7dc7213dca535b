// The OpenAI speech adapter: tts-1, tts-1-hd and gpt-4o-mini-tts through the `openai` SDK's audio.speech.create.
import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import { callerAborted, callFailed, resultFromPcm, retryAfterMs, streamFromPcm } from './adapter-support.ts';
import {
  AUDIO_FORMATS,
  TtsProviderError,
  type AudioFormat,
  type ModelInfo,
  type SynthesisRequest,
  type SynthesisResult,
  type TtsErrorKind,
  type TtsProvider,
  type VoiceInfo,
} from './port.ts';
import { SETTING_RANGES } from './setting-ranges.ts';

export interface OpenAiTtsOptions {
  apiKey: string;
  /** The API base including `/v1`, as OPENAI_BASE_URL is written, e.g. `http://127.0.0.1:port/v1`. */
  baseUrl?: string;
  /** Time allowed until the answer's headers arrive. */
  timeoutMs?: number;
}

/** The SDK's own default is 10 minutes; a spoken chat reply is worth far less waiting before falling back. */
const DEFAULT_TIMEOUT_MS = 30_000;

/**
 * OpenAI announced the shutdown of all three speech models for 2027-01-06, so the platform never picks OpenAI
 * by default (the voice service skips models with `retiresOn`); a tenant may still choose it explicitly.
 */
const RETIRES_ON = '2027-01-06';
const MAX_INPUT = 4096;
const MODELS: readonly ModelInfo[] = [
  {
    id: 'tts-1',
    description: 'TTS-1: optimised for speed',
    maxInput: MAX_INPUT,
    limitUnit: 'characters',
    formats: AUDIO_FORMATS,
    lowLatency: true,
    retiresOn: RETIRES_ON,
  },
  {
    id: 'tts-1-hd',
    description: 'TTS-1 HD: optimised for quality',
    maxInput: MAX_INPUT,
    limitUnit: 'characters',
    formats: AUDIO_FORMATS,
    retiresOn: RETIRES_ON,
  },
  {
    id: 'gpt-4o-mini-tts',
    description: 'GPT-4o mini TTS: steerable speech, more voices',
    maxInput: MAX_INPUT,
    limitUnit: 'characters',
    formats: AUDIO_FORMATS,
    retiresOn: RETIRES_ON,
  },
];
const DEFAULT_MODEL = 'tts-1';

/**
 * The documented built-in voices. tts-1 and tts-1-hd speak the first nine; ballad, verse, marin and cedar are
 * gpt-4o-mini-tts only. Every voice follows the language of the text (the Whisper languages), but they are
 * tuned for English, which is what they are listed as speaking.
 */
const CLASSIC_VOICES = ['alloy', 'ash', 'coral', 'echo', 'fable', 'nova', 'onyx', 'sage', 'shimmer'];
const MINI_TTS_VOICES = ['ballad', 'verse', 'marin', 'cedar'];
const VOICES: readonly VoiceInfo[] = [
  ...CLASSIC_VOICES.map((id) => ({ id, name: capitalise(id), languages: ['en-US'], models: [] })),
  ...MINI_TTS_VOICES.map((id) => ({
    id,
    name: capitalise(id),
    languages: ['en-US'],
    models: ['gpt-4o-mini-tts'],
  })),
];

/**
 * `response_format` per format. OpenAI's mp3 and pcm are 24 kHz mono already. WAV is built here from pcm: OpenAI
 * streams its WAV with 0xFFFFFFFF sizes in the header, which strict readers take for hours of audio.
 */
const RESPONSE_FORMATS = { mp3: 'mp3', wav: 'pcm', pcm: 'pcm' } as const satisfies Record<
  AudioFormat,
  string
>;

export function createOpenAiTtsProvider(options: OpenAiTtsOptions): TtsProvider {
  // The platform owns retries (backoff, fallback, circuit breaker): the SDK's two hidden retries are turned off.
  const client = new OpenAI({
    apiKey: options.apiKey,
    maxRetries: 0,
    timeout: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    ...(options.baseUrl ? { baseURL: options.baseUrl } : {}),
  });

  async function speech(request: SynthesisRequest, model: string): Promise<Response> {
    return client.audio.speech.create(
      {
        model,
        voice: request.voiceId,
        input: request.text,
        response_format: RESPONSE_FORMATS[request.format],
        ...(request.settings?.speed !== undefined ? { speed: request.settings.speed } : {}),
      },
      request.signal ? { signal: request.signal } : {},
    );
  }

  return {
    name: 'openai',
    models: MODELS,
    defaultModel: DEFAULT_MODEL,
    settings: SETTING_RANGES.openai,
    supportsPhonemes: false,

    async synthesize(request: SynthesisRequest): Promise<SynthesisResult> {
      const model = request.model ?? DEFAULT_MODEL;
      try {
        const response = await speech(request, model);
        return resultFromPcm(new Uint8Array(await response.arrayBuffer()), request.format, model);
      } catch (error) {
        throw toProviderError(error, request.signal);
      }
    },

    async *stream(request: SynthesisRequest): AsyncIterable<Uint8Array> {
      const model = request.model ?? DEFAULT_MODEL;
      try {
        const response = await speech(request, model);
        if (!response.body)
          throw new TtsProviderError('openai', 'retryable', 'OpenAI answered without a body');
        yield* streamFromPcm(response.body, request.format);
      } catch (error) {
        throw toProviderError(error, request.signal);
      }
    },

    async listVoices(filter?: { language?: string }): Promise<VoiceInfo[]> {
      const language = filter?.language?.toLowerCase();
      // OpenAI has no voice-listing endpoint: the list is fixed and documented.
      if (!language || language === 'en' || language.startsWith('en-'))
        return VOICES.map((voice) => ({ ...voice }));
      return [];
    },
  };
}

function capitalise(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

/** OpenAI's own `retry-after-ms` first, then the standard Retry-After. */
function waitMs(headers: Headers | undefined): number | undefined {
  const milliseconds = Number(headers?.get('retry-after-ms') ?? Number.NaN);
  if (Number.isFinite(milliseconds)) return Math.max(0, milliseconds);
  return retryAfterMs(headers?.get('retry-after'));
}

function kindOf(error: APIError): TtsErrorKind {
  const status = error.status ?? 0;
  // Both arrive as 429: a spent quota is never retried, a rate limit is.
  if (error.code === 'insufficient_quota' || error.type === 'insufficient_quota') return 'quota_exceeded';
  if (status === 429) return 'rate_limited';
  if (status >= 500) return 'retryable';
  if (status === 408) return 'timeout';
  if (status === 401 || status === 403) return 'auth';
  if (status === 404 || error.param === 'voice' || error.param === 'model') return 'voice_not_found';
  return 'invalid_request';
}

/** Any failure of an SDK call, in the port's terms. */
export function toProviderError(error: unknown, signal?: AbortSignal): TtsProviderError {
  if (error instanceof TtsProviderError) return error;
  const details = { cause: error };
  if (signal?.aborted || error instanceof APIUserAbortError) {
    return callerAborted('openai', 'OpenAI', error);
  }
  // Order matters: the timeout error is a kind of connection error.
  if (error instanceof APIConnectionTimeoutError) {
    return new TtsProviderError('openai', 'timeout', 'OpenAI did not answer in time', details);
  }
  if (error instanceof APIConnectionError) {
    return new TtsProviderError('openai', 'retryable', `OpenAI connection failed: ${error.message}`, details);
  }
  if (error instanceof APIError && error.status !== undefined) {
    const kind = kindOf(error);
    const wait = kind === 'rate_limited' ? waitMs(error.headers) : undefined;
    const code = error.code ?? error.type;
    return new TtsProviderError('openai', kind, `OpenAI answered ${error.message}`, {
      status: error.status,
      ...(code ? { providerCode: code } : {}),
      ...(wait !== undefined ? { retryAfterMs: wait } : {}),
      ...details,
    });
  }
  // The audio stream broke off after the headers.
  return callFailed('openai', 'OpenAI', error);
}
