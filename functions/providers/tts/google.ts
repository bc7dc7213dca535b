// Google Cloud Text-to-Speech behind the TtsProvider port: voice families as models, SSML for phonemes.
import { TextToSpeechClient, type protos } from '@google-cloud/text-to-speech';
import { OAuth2Client } from 'google-auth-library';
import { pcmToBytes, resample } from '../../audio/pcm.ts';
import { encodeWav, parseWav } from '../../audio/wav.ts';
import { abortable } from './adapter-support.ts';
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

type SynthesizeRequest = protos.google.cloud.texttospeech.v1.ISynthesizeSpeechRequest;
type ClientOptions = NonNullable<ConstructorParameters<typeof TextToSpeechClient>[0]>;

export interface GoogleTtsOptions {
  /** A service-account key (in AWS, from Secrets Manager). */
  credentials?: { client_email: string; private_key: string; project_id?: string };
  apiKey?: string;
  /** A fixed OAuth token, as the local simulator accepts; it is never refreshed. */
  accessToken?: string;
  /** `http://host:port` speaks REST to a simulator; an https URL is a regional endpoint for the normal client. */
  endpoint?: string;
  timeoutMs?: number;
}

/** Google counts the input in UTF-8 bytes, SSML tags included. */
const MAX_INPUT_BYTES = 5000;
const DEFAULT_TIMEOUT_MS = 15_000;

const model = (id: string, description: string): ModelInfo => ({
  id,
  description,
  maxInput: MAX_INPUT_BYTES,
  limitUnit: 'bytes',
  formats: AUDIO_FORMATS,
});

const MODELS: readonly ModelInfo[] = [
  model('neural2', 'Neural2 voices (en-US-Neural2-D …): natural, SSML and pitch'),
  model('wavenet', 'WaveNet voices (en-US-Wavenet-D …)'),
  model('standard', 'Standard voices (en-US-Standard-D …): cheapest'),
  model('chirp3-hd', 'Chirp 3 HD voices (en-US-Chirp3-HD-Kore …): most natural; no SSML, no pitch'),
];

/** The family in a voice name is its model: `en-US-Neural2-D` → neural2, `en-US-Chirp3-HD-Kore` → chirp3-hd. */
export function googleVoiceModel(voiceName: string): string | undefined {
  const family = /^[a-z]{2,3}-[A-Za-z0-9]+-(.+)-[^-]+$/.exec(voiceName)?.[1];
  return family?.toLowerCase();
}

/** `en-US-Neural2-D` → `en-US`; the API wants the language beside the name. */
function voiceLanguage(voiceName: string): string | undefined {
  return /^([a-z]{2,3}-[A-Za-z0-9]+)-/.exec(voiceName)?.[1];
}

/** gRPC status codes by number (the gRPC client) and by the HTTP status REST answers with. */
const GRPC_STATUS = (
  'OK CANCELLED UNKNOWN INVALID_ARGUMENT DEADLINE_EXCEEDED NOT_FOUND ALREADY_EXISTS PERMISSION_DENIED ' +
  'RESOURCE_EXHAUSTED FAILED_PRECONDITION ABORTED OUT_OF_RANGE UNIMPLEMENTED INTERNAL UNAVAILABLE DATA_LOSS UNAUTHENTICATED'
).split(' ');
const HTTP_STATUS: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  429: 'RESOURCE_EXHAUSTED',
  504: 'DEADLINE_EXCEEDED',
};
/** Anything else (UNAVAILABLE, INTERNAL, UNKNOWN, other 5xx, a broken connection) is worth another try. */
const KINDS: Record<string, TtsErrorKind> = {
  DEADLINE_EXCEEDED: 'timeout',
  UNAUTHENTICATED: 'auth',
  PERMISSION_DENIED: 'auth',
  RESOURCE_EXHAUSTED: 'rate_limited',
  NOT_FOUND: 'voice_not_found',
  INVALID_ARGUMENT: 'invalid_request',
  FAILED_PRECONDITION: 'invalid_request',
  OUT_OF_RANGE: 'invalid_request',
};

/**
 * The gRPC client throws a GoogleError with a numeric gRPC code; over REST the auth client's fetch throws a
 * GaxiosError whose message is Google's JSON error body. Both become one shape here.
 */
type Failure = { status?: string; httpStatus?: number; message: string; aborted: boolean };
type LooseError = Record<string, unknown> & { response?: { status?: number }; cause?: { name?: string } };

function describeFailure(error: unknown): Failure {
  const e = (error ?? {}) as LooseError;
  const message = typeof e.message === 'string' ? e.message : String(error);
  const aborted = e.name === 'AbortError' || e.name === 'TimeoutError' || e.cause?.name === 'AbortError';
  if ('config' in e) {
    const httpStatus = e.response?.status ?? (typeof e.status === 'number' ? e.status : undefined);
    const fromHttp = httpStatus === undefined ? undefined : HTTP_STATUS[httpStatus];
    try {
      const body = JSON.parse(message) as { error?: { status?: string; message?: string } };
      return {
        status: body.error?.status ?? fromHttp,
        httpStatus,
        message: body.error?.message ?? message,
        aborted,
      };
    } catch {
      return { status: fromHttp, httpStatus, message, aborted };
    }
  }
  const status = typeof e.code === 'number' ? GRPC_STATUS[e.code] : undefined;
  return { status, message: typeof e.details === 'string' && e.details ? e.details : message, aborted };
}

function toProviderError(error: unknown): TtsProviderError {
  if (error instanceof TtsProviderError) return error;
  const { status, httpStatus, message, aborted } = describeFailure(error);
  let kind: TtsErrorKind = aborted ? 'timeout' : (KINDS[status ?? ''] ?? 'retryable');
  // Both limits say "Quota exceeded"; only a daily limit (or unpaid billing) means waiting will not help.
  if (kind === 'rate_limited' && /per day|daily|billing/i.test(message)) kind = 'quota_exceeded';
  if (
    kind === 'invalid_request' &&
    /voice/i.test(message) &&
    /not (exist|found)|no .*voice|unknown/i.test(message)
  ) {
    kind = 'voice_not_found';
  }
  return new TtsProviderError(
    'google',
    kind,
    kind === 'timeout' ? `Google did not answer in time: ${message}` : message,
    {
      ...(httpStatus ? { status: httpStatus } : {}),
      ...(status ? { providerCode: status } : {}),
      cause: error,
    },
  );
}

/**
 * An auth client that presents a fixed token; its transport timeout is the only deadline REST calls get.
 * google-gax carries its own copy of google-auth-library, so the types differ while the client works the same.
 */
function fixedTokenClient(accessToken: string, timeoutMs: number): ClientOptions['authClient'] {
  const client = new OAuth2Client({ transporterOptions: { timeout: timeoutMs } });
  client.setCredentials({ access_token: accessToken, expiry_date: Date.now() + 365 * 24 * 3600 * 1000 });
  return client as unknown as ClientOptions['authClient'];
}

function createClient(options: GoogleTtsOptions, timeoutMs: number): TextToSpeechClient {
  const endpoint = options.endpoint ? new URL(options.endpoint) : undefined;
  if (endpoint?.protocol === 'http:') {
    // gRPC needs TLS; the REST fallback speaks plain HTTP to a simulator. It ignores the `timeout` call option.
    if (!options.accessToken) throw new Error('Google over plain HTTP needs an accessToken');
    return new TextToSpeechClient({
      fallback: true,
      apiEndpoint: endpoint.hostname,
      port: Number(endpoint.port || 80),
      protocol: 'http',
      authClient: fixedTokenClient(options.accessToken, timeoutMs),
    });
  }
  const { credentials, apiKey, accessToken } = options;
  return new TextToSpeechClient({
    ...(endpoint
      ? { apiEndpoint: endpoint.hostname, ...(endpoint.port ? { port: Number(endpoint.port) } : {}) }
      : {}),
    ...(credentials
      ? {
          credentials: { client_email: credentials.client_email, private_key: credentials.private_key },
          ...(credentials.project_id ? { projectId: credentials.project_id } : {}),
        }
      : {}),
    ...(apiKey && !credentials ? { apiKey } : {}),
    ...(accessToken && !credentials && !apiKey
      ? { authClient: fixedTokenClient(accessToken, timeoutMs) }
      : {}),
  });
}

/** ssmlGender as a name, or as a number when the REST client asks for numeric enums. */
const GENDERS: Record<string, VoiceInfo['gender']> = { MALE: 'male', FEMALE: 'female', NEUTRAL: 'neutral' };
const GENDER_NUMBERS = ['', 'MALE', 'FEMALE', 'NEUTRAL'];

export function createGoogleTtsProvider(options: GoogleTtsOptions): TtsProvider {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const client = createClient(options, timeoutMs);
  // The platform owns retries: the client makes exactly one attempt per call.
  const callOptions = { timeout: timeoutMs, retry: null };

  function buildRequest(request: SynthesisRequest): { body: SynthesizeRequest; model: string } {
    const voiceModel = googleVoiceModel(request.voiceId) ?? request.model ?? 'neural2';
    const languageCode = voiceLanguage(request.voiceId) ?? request.language ?? 'en-US';
    const chirp = voiceModel.startsWith('chirp');
    const phonemes = usablePhonemes(request.phonemes);
    let input: SynthesizeRequest['input'];
    if (phonemes.length === 0) input = { text: request.text };
    else if (chirp) {
      // Chirp 3 HD takes no SSML; it has its own pronunciation list instead.
      input = {
        text: request.text,
        customPronunciations: {
          pronunciations: phonemes.map((entry) => ({
            phrase: entry.grapheme,
            pronunciation: entry.phoneme ?? '',
            phoneticEncoding:
              entry.alphabet === 'x-sampa' ? 'PHONETIC_ENCODING_X_SAMPA' : 'PHONETIC_ENCODING_IPA',
          })),
        },
      };
    } else input = { ssml: ssmlDocument(request.text, phonemes) };

    const bytes = Buffer.byteLength(input.ssml ?? input.text ?? '', 'utf8');
    if (bytes > MAX_INPUT_BYTES) {
      throw new TtsProviderError(
        'google',
        'invalid_request',
        `Input is ${bytes} bytes${input.ssml ? ' as SSML' : ''}; Google takes at most ${MAX_INPUT_BYTES}`,
      );
    }
    const settings = request.settings ?? {};
    const audioConfig: SynthesizeRequest['audioConfig'] = {
      audioEncoding: request.format === 'mp3' ? 'MP3' : 'LINEAR16',
      sampleRateHertz: OUTPUT_SAMPLE_RATE,
      // Chirp 3 HD takes 0.25–2 and no pitch at all.
      ...(settings.speaking_rate !== undefined
        ? { speakingRate: chirp ? Math.min(settings.speaking_rate, 2) : settings.speaking_rate }
        : {}),
      ...(settings.pitch !== undefined && !chirp ? { pitch: settings.pitch } : {}),
    };
    return {
      body: { input, voice: { name: request.voiceId, languageCode }, audioConfig },
      model: voiceModel,
    };
  }

  async function synthesize(request: SynthesisRequest): Promise<SynthesisResult> {
    try {
      const { body, model: usedModel } = buildRequest(request);
      const [response] = await abortable(client.synthesizeSpeech(body, callOptions), request.signal);
      const content = response.audioContent;
      const bytes =
        typeof content === 'string' ? Buffer.from(content, 'base64') : new Uint8Array(content ?? []);
      if (bytes.byteLength === 0) {
        throw new TtsProviderError('google', 'retryable', 'Google returned no audio');
      }
      let audio: Uint8Array = bytes;
      if (request.format !== 'mp3') {
        // LINEAR16 arrives as a WAV file; its header is checked rather than trusted.
        const wav = parseWav(bytes);
        const samples =
          wav.sampleRate === OUTPUT_SAMPLE_RATE
            ? wav.samples
            : resample(wav.samples, wav.sampleRate, OUTPUT_SAMPLE_RATE);
        audio = request.format === 'pcm' ? pcmToBytes(samples) : encodeWav(samples, OUTPUT_SAMPLE_RATE);
      }
      return { audio, format: request.format, sampleRate: OUTPUT_SAMPLE_RATE, model: usedModel };
    } catch (error) {
      if (request.signal?.aborted && error === request.signal.reason) throw error;
      throw toProviderError(error);
    }
  }

  return {
    name: 'google',
    models: MODELS,
    defaultModel: 'neural2',
    // Pitch is in semitones; Chirp 3 HD voices ignore it.
    settings: SETTING_RANGES.google,
    supportsPhonemes: true,
    synthesize,
    // Google's streaming synthesis serves Chirp 3 HD over gRPC only; the whole answer is one chunk here.
    async *stream(request) {
      yield (await synthesize(request)).audio;
    },
    async listVoices(filter) {
      try {
        const [response] = await client.listVoices(
          filter?.language ? { languageCode: filter.language } : {},
          callOptions,
        );
        return (response.voices ?? []).flatMap((voice): VoiceInfo[] => {
          if (!voice.name) return [];
          const voiceModel = googleVoiceModel(voice.name);
          const gender = GENDERS[GENDER_NUMBERS[Number(voice.ssmlGender)] ?? String(voice.ssmlGender)];
          return [
            {
              id: voice.name,
              name: voice.name,
              languages: voice.languageCodes ?? [],
              ...(gender ? { gender } : {}),
              ...(voiceModel ? { models: [voiceModel] } : {}),
            },
          ];
        });
      } catch (error) {
        throw toProviderError(error);
      }
    },
  };
}
