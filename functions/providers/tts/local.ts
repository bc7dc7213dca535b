// The `local` speech provider: eSpeak NG in WebAssembly, offline, with no key and no cost.
import { createRequire } from 'node:module';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fromPcm } from '../../audio/convert.ts';
import { parseWav } from '../../audio/wav.ts';
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

/** eSpeak's own limits and defaults: words per minute (-s) and pitch on its 0–99 scale (-p). */
const ESPEAK_WPM = { normal: 175, min: 80, max: 450 };
const ESPEAK_PITCH = { normal: 50, perStep: 2.5, min: 0, max: 99 };

/** eSpeak voices offered, by the id eSpeak selects them with; their default variant is male. */
const LANGUAGES = [
  { voice: 'en-us', tag: 'en-US', name: 'English (US)' },
  { voice: 'en-gb', tag: 'en-GB', name: 'English (UK)' },
  { voice: 'es', tag: 'es-ES', name: 'Spanish (Spain)' },
  { voice: 'es-419', tag: 'es-419', name: 'Spanish (Latin America)' },
  { voice: 'fr', tag: 'fr-FR', name: 'French (France)' },
  { voice: 'de', tag: 'de-DE', name: 'German' },
  { voice: 'it', tag: 'it-IT', name: 'Italian' },
  { voice: 'pt-br', tag: 'pt-BR', name: 'Portuguese (Brazil)' },
  { voice: 'nl', tag: 'nl-NL', name: 'Dutch' },
] as const;

/** eSpeak variants (files in espeak-ng-data/voices/!v of this build) that change the speaker's gender and pitch. */
const VARIANTS = [
  { suffix: '', label: 'male', gender: 'male' },
  { suffix: '+m3', label: 'male 2', gender: 'male' },
  { suffix: '+f3', label: 'female', gender: 'female' },
  { suffix: '+f1', label: 'female, older', gender: 'female' },
] as const;

const VOICES: readonly VoiceInfo[] = LANGUAGES.flatMap((language) =>
  VARIANTS.map((variant) => ({
    id: `${language.voice}${variant.suffix}`,
    name: `${language.name}, ${variant.label}`,
    languages: [language.tag],
    gender: variant.gender,
  })),
);

// The Emscripten module's surface this provider uses; the package ships no type declarations.
// The WebAssembly global is typed here too: TypeScript declares it only in the DOM library, which Lambda code omits.
type CompiledWasm = object;
interface WebAssemblyApi {
  compile(bytes: Uint8Array): Promise<CompiledWasm>;
  instantiate(module: CompiledWasm, imports: object): Promise<object>;
}
const webAssembly = (globalThis as unknown as { WebAssembly: WebAssemblyApi }).WebAssembly;

interface EspeakModule {
  FS: { writeFile(path: string, data: string): void; readFile(path: string): Uint8Array };
}
interface EspeakOptions {
  arguments: string[];
  thisProgram: string;
  preRun: Array<(module: EspeakModule) => void>;
  print: (line: string) => void;
  printErr: (line: string) => void;
  quit: (status: number, toThrow: unknown) => never;
  instantiateWasm: (imports: object, receive: (instance: object, module: CompiledWasm) => void) => object;
}
type EspeakFactory = (options: EspeakOptions) => Promise<EspeakModule>;

const ESPEAK_PACKAGE = 'espeak-ng';
let runtime: Promise<{ factory: EspeakFactory; wasm: CompiledWasm }> | undefined;

/**
 * The eSpeak factory and its compiled wasm, loaded the first time this provider speaks. Compiling the 18 MB wasm
 * once and instantiating it per call halves the per-call time; an instance is not reused because eSpeak's main()
 * keeps global state between runs.
 */
function espeakRuntime(): Promise<{ factory: EspeakFactory; wasm: CompiledWasm }> {
  runtime ??= (async () => {
    const entry = createRequire(import.meta.url).resolve(ESPEAK_PACKAGE);
    const [loaded, wasm] = await Promise.all([
      import(ESPEAK_PACKAGE as string) as Promise<{ default: EspeakFactory }>,
      readFile(join(dirname(entry), 'espeak-ng.wasm')).then((bytes) => webAssembly.compile(bytes)),
    ]);
    return { factory: loaded.default, wasm };
  })();
  runtime.catch(() => {
    runtime = undefined;
  });
  return runtime;
}

/** Runs the eSpeak command line once, with the text in a file so that nothing in it is read as an option. */
async function runEspeak(text: string, args: string[]): Promise<Uint8Array> {
  const { factory, wasm } = await espeakRuntime();
  const messages: string[] = [];
  let exitStatus = 0;
  let instantiationFailed: (error: unknown) => void = () => undefined;
  const failed = new Promise<never>((_, reject) => {
    instantiationFailed = reject;
  });
  const module = await Promise.race([
    factory({
      arguments: [...args, '-f', '/in.txt', '-w', '/out.wav'],
      thisProgram: 'espeak-ng',
      preRun: [(instance) => instance.FS.writeFile('/in.txt', text)],
      print: (line) => messages.push(line),
      // Emscripten adds "program exited (with status: 1), but keepRuntimeAlive()…" after eSpeak's own message.
      printErr: (line) => (line.startsWith('program exited') ? undefined : messages.push(line)),
      // Emscripten's default sets process.exitCode, which would fail the whole Node process after one bad run.
      quit: (status, toThrow) => {
        exitStatus = status;
        throw toThrow;
      },
      instantiateWasm: (imports, receive) => {
        webAssembly.instantiate(wasm, imports).then((instance) => {
          // eSpeak's main() runs inside receive(); a crash there (a wasm trap) must fail this call, not go unhandled.
          try {
            receive(instance, wasm);
          } catch (error) {
            exitStatus ||= 1;
            instantiationFailed(error);
          }
        }, instantiationFailed);
        return {};
      },
    }),
    failed,
  ]);
  if (exitStatus !== 0) {
    throw new Error(`espeak-ng exited with status ${exitStatus}: ${messages.join(' ') || 'no message'}`);
  }
  try {
    return module.FS.readFile('/out.wav');
  } catch (error) {
    throw new Error(`espeak-ng wrote no audio: ${messages.join(' ') || 'no message'}`, { cause: error });
  }
}

function setting(settings: VoiceSettings | undefined, name: keyof typeof SETTINGS): number {
  const spec = SETTINGS[name];
  const value = settings?.[name];
  // Settings are shared by every provider a voice may fall back to: a value valid elsewhere is clamped, not refused.
  if (typeof value !== 'number' || !Number.isFinite(value)) return spec.default;
  return Math.min(spec.max, Math.max(spec.min, value));
}

/** eSpeak options for the voice settings: rate in words per minute, pitch on eSpeak's 0–99 scale. */
function espeakArgs(voiceId: string, settings: VoiceSettings | undefined): string[] {
  const rate = ESPEAK_WPM.normal * setting(settings, 'speed') * setting(settings, 'speaking_rate');
  const wpm = Math.round(Math.min(ESPEAK_WPM.max, Math.max(ESPEAK_WPM.min, rate)));
  const pitch = Math.round(
    Math.min(
      ESPEAK_PITCH.max,
      Math.max(ESPEAK_PITCH.min, ESPEAK_PITCH.normal + setting(settings, 'pitch') * ESPEAK_PITCH.perStep),
    ),
  );
  // -b 1: the text file is UTF-8; no -m, so markup in the text is spoken as text, never interpreted.
  return ['-b', '1', '-v', voiceId, '-s', String(wpm), '-p', String(pitch)];
}

function checkRequest(request: SynthesisRequest): void {
  const fail = (kind: 'invalid_request' | 'voice_not_found', message: string): never => {
    throw new TtsProviderError('local', kind, message);
  };
  if (request.model !== undefined && request.model !== MODEL) {
    fail('voice_not_found', `Unknown local model "${request.model}" (the only one is ${MODEL})`);
  }
  if (!VOICES.some((voice) => voice.id === request.voiceId)) {
    fail('voice_not_found', `Unknown local voice "${request.voiceId}"`);
  }
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
}

function checkNotAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) {
    throw new TtsProviderError('local', 'timeout', 'Speech was cancelled before it finished', {
      cause: signal.reason,
    });
  }
}

async function synthesize(request: SynthesisRequest): Promise<SynthesisResult> {
  checkRequest(request);
  checkNotAborted(request.signal);
  let samples: Int16Array;
  let sampleRate: number;
  try {
    const wav = parseWav(await runEspeak(request.text, espeakArgs(request.voiceId, request.settings)));
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
    async listVoices(options = {}) {
      const { language } = options;
      return language ? VOICES.filter((voice) => speaksLanguage(voice, language)) : [...VOICES];
    },
  };
}
