// The TtsProvider port: what the voice service needs from any speech provider, and the errors it understands.

export const PROVIDER_NAMES = ['elevenlabs', 'google', 'polly', 'openai', 'local'] as const;
export type ProviderName = (typeof PROVIDER_NAMES)[number];

/**
 * Formats a caller may ask for. Sentences are synthesised, cached and joined in this format:
 * mp3 by concatenating frames, wav and pcm by concatenating samples (pcm: signed 16-bit little-endian mono).
 */
export const AUDIO_FORMATS = ['mp3', 'wav', 'pcm'] as const;
export type AudioFormat = (typeof AUDIO_FORMATS)[number];

/** Every provider is asked for mono audio at this rate, so sentences from different providers join cleanly. */
export const OUTPUT_SAMPLE_RATE = 24_000;

export const CONTENT_TYPES: Record<AudioFormat, string> = {
  mp3: 'audio/mpeg',
  wav: 'audio/wav',
  pcm: 'audio/L16;rate=24000;channels=1',
};

/** Provider-neutral voice settings, as `voice_config.settings` stores them; each provider reads what it knows. */
export interface VoiceSettings {
  stability?: number;
  similarity_boost?: number;
  style?: number;
  use_speaker_boost?: boolean;
  speed?: number;
  pitch?: number;
  speaking_rate?: number;
}

export type SettingName = keyof VoiceSettings;

/** A setting a provider understands: a numeric range or an on/off switch. */
export type SettingSpec =
  { kind: 'number'; min: number; max: number; default: number } | { kind: 'boolean'; default: boolean };

/** How to say one word or name: an alias every provider speaks, or a phoneme string where SSML allows one. */
export interface Pronunciation {
  grapheme: string;
  alias?: string;
  phoneme?: string;
  alphabet?: 'ipa' | 'x-sampa';
  case_sensitive?: boolean;
}

export interface SynthesisRequest {
  /** Prepared text: markdown and stage directions removed, aliases applied, within the model's limit. */
  text: string;
  voiceId: string;
  /** The provider's default model when omitted. */
  model?: string;
  /** BCP 47 tag, e.g. en-US. */
  language?: string;
  settings?: VoiceSettings;
  format: AudioFormat;
  /** Pronunciations with phonemes, for providers whose `supportsPhonemes` is true (SSML `<phoneme>`). */
  phonemes?: Pronunciation[];
  signal?: AbortSignal;
}

export interface SynthesisResult {
  /** Audio in the requested format: mp3, or a WAV file, or raw pcm; mono at OUTPUT_SAMPLE_RATE. */
  audio: Uint8Array;
  format: AudioFormat;
  sampleRate: number;
  model: string;
}

export interface ModelInfo {
  id: string;
  description: string;
  /** Characters (or, where `limitUnit` is bytes, UTF-8 bytes) one request may carry. */
  maxInput: number;
  limitUnit: 'characters' | 'bytes';
  formats: readonly AudioFormat[];
  lowLatency?: boolean;
  /** Set for models the provider has announced it will retire; never chosen by default. */
  retiresOn?: string;
}

export interface VoiceInfo {
  id: string;
  name: string;
  languages: string[];
  gender?: 'male' | 'female' | 'neutral';
  /** Models this voice works with; empty means all of the provider's models. */
  models?: string[];
  /** A voice the tenant cloned, rather than one of the provider's stock voices. */
  custom?: boolean;
}

export interface CloneSample {
  fileName: string;
  contentType: string;
  bytes: Uint8Array;
}

export type CloneStatus = 'ready' | 'processing' | 'failed' | 'missing';

/** For providers that clone voices from samples. */
export interface VoiceCloning {
  createVoice(request: {
    name: string;
    description?: string;
    samples: CloneSample[];
    labels?: Record<string, string>;
  }): Promise<{ voiceId: string; status: CloneStatus }>;
  voiceStatus(voiceId: string): Promise<CloneStatus>;
  /** Idempotent: deleting a voice that is already gone succeeds. */
  deleteVoice(voiceId: string): Promise<void>;
  /**
   * The account's voices that carry every one of these labels: how a training finds a voice its create made
   * although the answer never came back. Providers whose voices cannot be left behind leave it out.
   */
  voicesLabelled?(labels: Record<string, string>): Promise<string[]>;
}

export interface TtsProvider {
  readonly name: ProviderName;
  readonly models: readonly ModelInfo[];
  readonly defaultModel: string;
  /** The settings this provider applies, with their ranges; anything else in VoiceSettings is ignored by it. */
  readonly settings: Partial<Record<SettingName, SettingSpec>>;
  readonly supportsPhonemes: boolean;
  synthesize(request: SynthesisRequest): Promise<SynthesisResult>;
  /** The same audio as `synthesize`, in chunks as the provider sends them. */
  stream(request: SynthesisRequest): AsyncIterable<Uint8Array>;
  listVoices(options?: { language?: string }): Promise<VoiceInfo[]>;
  readonly cloning?: VoiceCloning;
}

/**
 * Why a provider call failed, in the terms the voice service decides by:
 * - retryable: 5xx, `system_busy`, a broken connection — worth another try after a pause;
 * - rate_limited: 429 `rate_limit_exceeded` / `too_many_concurrent_requests` / Throttling — retry after a pause;
 * - timeout: no answer in time — retry;
 * - quota_exceeded: the account's quota or credit is spent — never retried, fall back at once;
 * - auth: key missing, wrong or revoked — never retried;
 * - voice_not_found: the voice id (or model) is unknown to the provider;
 * - invalid_request: the provider refused the input (too long, bad setting) — never retried.
 */
export type TtsErrorKind =
  | 'retryable'
  | 'rate_limited'
  | 'timeout'
  | 'quota_exceeded'
  | 'auth'
  | 'voice_not_found'
  | 'invalid_request';

export class TtsProviderError extends Error {
  override name = 'TtsProviderError';
  constructor(
    readonly provider: ProviderName,
    readonly kind: TtsErrorKind,
    message: string,
    readonly details: { status?: number; providerCode?: string; retryAfterMs?: number; cause?: unknown } = {},
  ) {
    super(message, { cause: details.cause });
  }

  get retryable(): boolean {
    return this.kind === 'retryable' || this.kind === 'rate_limited' || this.kind === 'timeout';
  }
}
