// The `local` speech provider: eSpeak NG in WebAssembly, offline, with no key and no cost.
import { fromPcm } from '../../audio/convert.ts';
import { parseWav } from '../../audio/wav.ts';
import { ESPEAK_LANGUAGES, ESPEAK_PITCH, ESPEAK_VARIANTS, ESPEAK_WPM } from './espeak-voices.ts';
import { runEspeak } from './espeak-runner.ts';
import { localCloning } from './local-cloning.ts';
import {
  OUTPUT_SAMPLE_RATE,
  TtsProviderError,
  type ModelInfo,
  type SettingSpec,
  type SynthesisRequest,
  type SynthesisResult,
  type TtsProvider,
  type VoiceInfo,
  type VoiceSettings,
} from './port.ts';
import { decodeProfileVoiceId } from './voice-profile.ts';

const MODEL = 'espeak-ng';
const MAX_INPUT_CHARACTERS = 5000;
const STREAM_CHUNK_BYTES = 32 * 1024;

const MODELS: readonly ModelInfo[] = [
  {
    id: MODEL,
    description: 'eSpeak NG formant synthesis: robotic but intelligible, offline and free',
    maxInput: MAX_INPUT_CHARACTERS,
    limitUnit: 'characters',
    formats: ['mp3', 'wav', 'pcm'],
    lowLatency: true,
  },
];

const SETTINGS = {
  speed: { kind: 'number', min: 0.7, max: 1.2, default: 1 },
  pitch: { kind: 'number', min: -20, max: 20, default: 0 },
  speaking_rate: { kind: 'number', min: 0.25, max: 4, default: 1 },
} as const satisfies Partial<Record<keyof VoiceSettings, SettingSpec>>;

const VOICES: readonly VoiceInfo[] = ESPEAK_LANGUAGES.flatMap((language) =>
  ESPEAK_VARIANTS.map((variant) => ({
    id: `${language.voice}${variant.suffix}`,
    name: `${language.name}, ${variant.label}`,
    languages: [language.tag],
    gender: variant.gender,
  })),
);

function setting(settings: VoiceSettings | undefined, name: keyof typeof SETTINGS): number {
  const spec = SETTINGS[name];
  const value = settings?.[name];
  // Settings are shared by every provider a voice may fall back to: a value valid elsewhere is clamped, not refused.
  if (typeof value !== 'number' || !Number.isFinite(value)) return spec.default;
  return Math.min(spec.max, Math.max(spec.min, value));
}

/** What eSpeak is told to speak with: its voice (language and variant) and the rate and pitch settings start from. */
interface EspeakVoice {
  voice: string;
  wpm: number;
  pitch: number;
}

/**
 * A stock voice at eSpeak's defaults, or a voice profile (`profile:…`, see voice-profile.ts) at its own rate and
 * pitch; undefined for anything else. Profile ids are validated strictly before any part reaches eSpeak.
 */
function espeakVoice(voiceId: string): EspeakVoice | undefined {
  if (VOICES.some((voice) => voice.id === voiceId)) {
    return { voice: voiceId, wpm: ESPEAK_WPM.normal, pitch: ESPEAK_PITCH.normal };
  }
  const profile = decodeProfileVoiceId(voiceId);
  return profile && { voice: `${profile.base}+${profile.variant}`, wpm: profile.wpm, pitch: profile.pitch };
}

/** eSpeak options for the voice and settings: rate in words per minute, pitch on eSpeak's 0–99 scale. */
function espeakArgs(voice: EspeakVoice, settings: VoiceSettings | undefined): string[] {
  const rate = voice.wpm * setting(settings, 'speed') * setting(settings, 'speaking_rate');
  const wpm = Math.round(Math.min(ESPEAK_WPM.max, Math.max(ESPEAK_WPM.min, rate)));
  const pitch = Math.round(
    Math.min(
      ESPEAK_PITCH.max,
      Math.max(ESPEAK_PITCH.min, voice.pitch + setting(settings, 'pitch') * ESPEAK_PITCH.perStep),
    ),
  );
  // -b 1: the text file is UTF-8; no -m, so markup in the text is spoken as text, never interpreted.
  return ['-b', '1', '-v', voice.voice, '-s', String(wpm), '-p', String(pitch)];
}

/** The voice to speak with, once the request has been checked. */
function checkRequest(request: SynthesisRequest): EspeakVoice {
  const fail = (kind: 'invalid_request' | 'voice_not_found', message: string): never => {
    throw new TtsProviderError('local', kind, message);
  };
  if (request.model !== undefined && request.model !== MODEL) {
    fail('voice_not_found', `Unknown local model "${request.model}" (the only one is ${MODEL})`);
  }
  const voice =
    espeakVoice(request.voiceId) ?? fail('voice_not_found', `Unknown local voice "${request.voiceId}"`);
  if (!MODELS[0]?.formats.includes(request.format)) {
    fail('invalid_request', `Unsupported audio format "${String(request.format)}"`);
  }
  if (request.text.trim() === '') fail('invalid_request', 'The text to speak is empty');
  const characters = [...request.text].length;
  if (characters > MAX_INPUT_CHARACTERS) {
    fail(
      'invalid_request',
      `The text is ${characters} characters; ${MODEL} takes at most ${MAX_INPUT_CHARACTERS}`,
    );
  }
  return voice;
}

function checkNotAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) {
    throw new TtsProviderError('local', 'timeout', 'Speech was cancelled before it finished', {
      cause: signal.reason,
    });
  }
}

async function synthesize(request: SynthesisRequest): Promise<SynthesisResult> {
  const voice = checkRequest(request);
  checkNotAborted(request.signal);
  let samples: Int16Array;
  let sampleRate: number;
  try {
    const wav = parseWav(await runEspeak(request.text, espeakArgs(voice, request.settings)));
    ({ samples, sampleRate } = wav);
  } catch (error) {
    throw new TtsProviderError('local', 'retryable', `eSpeak NG failed: ${(error as Error).message}`, {
      cause: error,
    });
  }
  checkNotAborted(request.signal);
  const audio = await fromPcm(samples, sampleRate, request.format, OUTPUT_SAMPLE_RATE);
  return { audio, format: request.format, sampleRate: OUTPUT_SAMPLE_RATE, model: MODEL };
}

/** Filters by BCP 47 language: `en` matches en-US and en-GB, `en-gb` only en-GB; case does not matter. */
function speaksLanguage(voice: VoiceInfo, language: string): boolean {
  const wanted = language.toLowerCase();
  return voice.languages.some((tag) => {
    const lower = tag.toLowerCase();
    return lower === wanted || lower.startsWith(`${wanted}-`);
  });
}

export function createLocalProvider(): TtsProvider {
  return {
    name: 'local',
    models: MODELS,
    defaultModel: MODEL,
    settings: SETTINGS,
    supportsPhonemes: false,
    synthesize,
    async *stream(request) {
      // eSpeak writes the whole file before it returns; slicing it lets callers stream it like any provider's audio.
      const { audio } = await synthesize(request);
      for (let offset = 0; offset < audio.length; offset += STREAM_CHUNK_BYTES) {
        yield audio.slice(offset, offset + STREAM_CHUNK_BYTES);
      }
    },
    // Stock voices only: profiles live in the voice ids cloning hands out, so there is no list of them to give.
    async listVoices(options = {}) {
      const { language } = options;
      return language ? VOICES.filter((voice) => speaksLanguage(voice, language)) : [...VOICES];
    },
    cloning: localCloning,
  };
}
