// Amazon Polly behind the TtsProvider port: engines as models, SSML for rate, pitch and phonemes.
import {
  DescribeVoicesCommand,
  PollyClient,
  SynthesizeSpeechCommand,
  type DescribeVoicesCommandInput,
  type Engine,
  type LanguageCode,
  type SynthesizeSpeechCommandInput,
  type Voice,
  type VoiceId,
} from '@aws-sdk/client-polly';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { bytesToPcm, pcmToBytes, resample } from '../../audio/pcm.ts';
import { encodeWav } from '../../audio/wav.ts';
import {
  AUDIO_FORMATS,
  OUTPUT_SAMPLE_RATE,
  TtsProviderError,
  type ModelInfo,
  type SynthesisRequest,
  type SynthesisResult,
  type TtsErrorKind,
  type TtsProvider,
  type VoiceInfo,
} from './port.ts';
import { SETTING_RANGES } from './setting-ranges.ts';
import { ssmlDocument, usablePhonemes } from './ssml.ts';

export interface PollyOptions {
  region: string;
  /** A local simulator (`http://127.0.0.1:port`) or a VPC endpoint; AWS's own endpoint when absent. */
  endpoint?: string;
  timeoutMs?: number;
  /** The Lambda role's credentials are used when absent. */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
}

/** SynthesizeSpeech takes 3,000 billed characters (SSML tags not billed) and 6,000 characters in all. */
const MAX_BILLED_CHARACTERS = 3000;
const MAX_TOTAL_CHARACTERS = 6000;
/** Polly's pcm goes no higher than 16 kHz; it is resampled to the platform's rate. */
const POLLY_PCM_RATE = 16_000;
const DEFAULT_TIMEOUT_MS = 15_000;
const ENGINES = ['neural', 'generative', 'standard', 'long-form'] as const satisfies readonly Engine[];

const model = (id: string, description: string): ModelInfo => ({
  id,
  description,
  maxInput: MAX_BILLED_CHARACTERS,
  limitUnit: 'characters',
  formats: AUDIO_FORMATS,
});

const MODELS: readonly ModelInfo[] = [
  model('neural', 'Neural engine: natural voices (Joanna, Matthew, Ruth …); no pitch'),
  model('generative', 'Generative engine: most expressive (Ruth, Matthew, Danielle …); no pitch'),
  model('standard', 'Standard engine: cheapest; the only one with pitch'),
  model('long-form', 'Long-form engine: narration voices (Gregory, Danielle, Ruth …); no pitch'),
];

const AUTH_ERRORS = new Set([
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'AccessDeniedException',
  'AccessDenied',
  'ExpiredTokenException',
  'IncompleteSignatureException',
  'MissingAuthenticationTokenException',
  'InvalidClientTokenId',
]);
const INVALID_REQUEST_ERRORS = new Set([
  'TextLengthExceededException',
  'InvalidSsmlException',
  'EngineNotSupportedException',
  'ValidationException',
  'InvalidSampleRateException',
  'LanguageNotSupportedException',
  'LexiconNotFoundException',
  'MarksNotSupportedForFormatException',
  'SsmlMarksNotSupportedForTextTypeException',
  'InvalidParameterValue',
]);

function classify(name: string, status: number | undefined, message: string): TtsErrorKind {
  if (name === 'TimeoutError' || name === 'AbortError' || /ETIMEDOUT|timed? ?out/i.test(message))
    return 'timeout';
  // Throttling comes as HTTP 400, so the name decides before the status does.
  if (name === 'ThrottlingException' || name === 'TooManyRequestsException' || status === 429)
    return 'rate_limited';
  if (name === 'ServiceQuotaExceededException') return 'quota_exceeded';
  if (AUTH_ERRORS.has(name) || status === 401 || status === 403) return 'auth';
  // An unknown VoiceId fails the enum check: "Value 'X' at 'voiceId' failed to satisfy constraint".
  if ((name === 'ValidationException' || name === 'InvalidParameterValue') && /voice ?id/i.test(message)) {
    return 'voice_not_found';
  }
  if (INVALID_REQUEST_ERRORS.has(name)) return 'invalid_request';
  if (status !== undefined && status >= 400 && status < 500) return 'invalid_request';
  // ServiceFailureException, 5xx and broken connections.
  return 'retryable';
}

function toProviderError(error: unknown, deadlinePassed: boolean): TtsProviderError {
  if (error instanceof TtsProviderError) return error;
  const e = (error ?? {}) as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  const name = e.name ?? 'Error';
  const message = e.message ?? String(error);
  const status = e.$metadata?.httpStatusCode;
  const kind = deadlinePassed ? 'timeout' : classify(name, status, message);
  return new TtsProviderError(
    'polly',
    kind,
    kind === 'timeout' ? `Polly did not answer in time: ${message}` : message,
    {
      ...(status ? { status } : {}),
      providerCode: name,
      cause: error,
    },
  );
}

const GENDERS: Record<string, VoiceInfo['gender']> = { Female: 'female', Male: 'male' };

function voiceInfo(voice: Voice): VoiceInfo[] {
  if (!voice.Id) return [];
  const gender = voice.Gender ? GENDERS[voice.Gender] : undefined;
  return [
    {
      id: voice.Id,
      name: voice.Name ?? voice.Id,
      languages: [voice.LanguageCode, ...(voice.AdditionalLanguageCodes ?? [])].filter(
        (code) => code !== undefined,
      ),
      ...(gender ? { gender } : {}),
      models: voice.SupportedEngines ?? [],
    },
  ];
}

export function createPollyProvider(options: PollyOptions): TtsProvider {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const client = new PollyClient({
    region: options.region,
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
    // The platform owns retries. The default HTTP/2 handler cannot reach a plain-HTTP endpoint.
    maxAttempts: 1,
    requestHandler: new NodeHttpHandler({
      connectionTimeout: Math.min(timeoutMs, 3000),
      requestTimeout: timeoutMs,
      throwOnRequestTimeout: true,
      socketTimeout: timeoutMs,
    }),
  });

  function buildInput(request: SynthesisRequest): SynthesizeSpeechCommandInput & { Engine: Engine } {
    const engine = (request.model ?? 'neural') as Engine;
    if (!(ENGINES as readonly string[]).includes(engine)) {
      throw new TtsProviderError('polly', 'invalid_request', `Polly has no engine ${engine}`);
    }
    const billed = [...request.text].length;
    if (billed > MAX_BILLED_CHARACTERS) {
      throw new TtsProviderError(
        'polly',
        'invalid_request',
        `Text is ${billed} characters; Polly bills at most 3000`,
      );
    }
    const settings = request.settings ?? {};
    const prosody: Record<string, string> = {};
    const rate = settings.speaking_rate;
    if (rate !== undefined && rate !== 1) {
      prosody.rate = `${Math.round(Math.min(2, Math.max(0.2, rate)) * 100)}%`;
    }
    // Only the standard engine takes pitch; neural, generative and long-form reject the attribute.
    if (engine === 'standard' && settings.pitch) {
      const pitch = Math.min(20, Math.max(-20, settings.pitch));
      prosody.pitch = `${pitch > 0 ? '+' : ''}${pitch}%`;
    }
    const phonemes = usablePhonemes(request.phonemes);
    const base = {
      Engine: engine,
      VoiceId: request.voiceId as VoiceId,
      OutputFormat: request.format === 'mp3' ? ('mp3' as const) : ('pcm' as const),
      SampleRate: String(request.format === 'mp3' ? OUTPUT_SAMPLE_RATE : POLLY_PCM_RATE),
    };
    if (Object.keys(prosody).length === 0 && phonemes.length === 0)
      return { ...base, Text: request.text, TextType: 'text' };

    const ssml = ssmlDocument(request.text, phonemes, prosody);
    if (ssml.length > MAX_TOTAL_CHARACTERS) {
      throw new TtsProviderError(
        'polly',
        'invalid_request',
        `SSML is ${ssml.length} characters; Polly takes 6000`,
      );
    }
    return { ...base, Text: ssml, TextType: 'ssml' };
  }

  /** Runs one Polly call with the caller's signal and an overall deadline; a passed deadline is a timeout. */
  async function call<T>(
    signal: AbortSignal | undefined,
    run: (abortSignal: AbortSignal) => Promise<T>,
  ): Promise<T> {
    signal?.throwIfAborted();
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(), timeoutMs);
    try {
      return await run(signal ? AbortSignal.any([signal, deadline.signal]) : deadline.signal);
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      throw toProviderError(error, deadline.signal.aborted);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Polly's 16 kHz pcm as the platform's 24 kHz pcm or WAV. */
  function convert(pollyPcm: Uint8Array, format: 'wav' | 'pcm'): Uint8Array {
    const samples = resample(bytesToPcm(pollyPcm), POLLY_PCM_RATE, OUTPUT_SAMPLE_RATE);
    return format === 'pcm' ? pcmToBytes(samples) : encodeWav(samples, OUTPUT_SAMPLE_RATE);
  }

  async function synthesize(request: SynthesisRequest): Promise<SynthesisResult> {
    const input = buildInput(request);
    const bytes = await call(request.signal, async (abortSignal) => {
      const response = await client.send(new SynthesizeSpeechCommand(input), { abortSignal });
      if (!response.AudioStream) throw new TtsProviderError('polly', 'retryable', 'Polly returned no audio');
      return response.AudioStream.transformToByteArray();
    });
    if (bytes.byteLength === 0) throw new TtsProviderError('polly', 'retryable', 'Polly returned no audio');
    const audio = request.format === 'mp3' ? bytes : convert(bytes, request.format);
    return { audio, format: request.format, sampleRate: OUTPUT_SAMPLE_RATE, model: input.Engine };
  }

  async function describeVoices(input: DescribeVoicesCommandInput): Promise<Voice[]> {
    const voices: Voice[] = [];
    let NextToken: string | undefined;
    do {
      const page = await call(undefined, (abortSignal) =>
        client.send(new DescribeVoicesCommand({ ...input, NextToken }), { abortSignal }),
      );
      voices.push(...(page.Voices ?? []));
      NextToken = page.NextToken;
    } while (NextToken);
    return voices;
  }

  return {
    name: 'polly',
    models: MODELS,
    defaultModel: 'neural',
    // Pitch is a percent change of the baseline, standard engine only: the other engines ignore it.
    settings: SETTING_RANGES.polly,
    supportsPhonemes: true,
    synthesize,
    async *stream(request) {
      if (request.format !== 'mp3') {
        // pcm is resampled as a whole; a resampler at chunk edges would click.
        yield (await synthesize(request)).audio;
        return;
      }
      const input = buildInput(request);
      const body = await call(request.signal, async (abortSignal) => {
        const response = await client.send(new SynthesizeSpeechCommand(input), { abortSignal });
        if (!response.AudioStream)
          throw new TtsProviderError('polly', 'retryable', 'Polly returned no audio');
        return response.AudioStream as AsyncIterable<Uint8Array>;
      });
      try {
        for await (const chunk of body) yield new Uint8Array(chunk);
      } catch (error) {
        throw toProviderError(error, false);
      }
    },
    async listVoices(filter) {
      const language = filter?.language;
      // DescribeVoices wants a full code such as en-US; a bare language (en) is matched here instead.
      const exact = language && /^[a-z]{2,3}-[A-Z]{2}/.test(language) ? language : undefined;
      const voices = await describeVoices({
        IncludeAdditionalLanguageCodes: true,
        ...(exact ? { LanguageCode: exact as LanguageCode } : {}),
      });
      const prefix = language && !exact ? `${language.toLowerCase()}-` : undefined;
      return voices
        .flatMap(voiceInfo)
        .filter((voice) => !prefix || voice.languages.some((code) => code.toLowerCase().startsWith(prefix)));
    },
  };
}
