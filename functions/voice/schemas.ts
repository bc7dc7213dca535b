// Requests and answers of the voice routes: generate, sample, settings, pronunciations, providers.
import * as z from 'zod';
import { PersonalityId, TtsProviderName, VoiceSettings } from '../personalities/schemas.ts';
import { AUDIO_FORMATS, type TtsErrorKind } from '../providers/tts/port.ts';
import type { SkipReason } from './voice-chain.ts';

export const MAX_SPEECH_CHARACTERS = 5000;

export const GenerateSpeech = z
  .strictObject({
    text: z
      .string()
      .refine((text) => text.trim().length > 0, 'must not be empty')
      .refine(
        (text) => text.length <= MAX_SPEECH_CHARACTERS,
        `must be at most ${MAX_SPEECH_CHARACTERS} characters`,
      ),
    format: z.enum(AUDIO_FORMATS).default('mp3'),
    settings: VoiceSettings.optional(),
    model: z.string().trim().min(1).max(100).optional(),
  })
  .meta({ id: 'GenerateSpeech' });
export type GenerateSpeech = z.infer<typeof GenerateSpeech>;

export const SampleQuery = z.strictObject({ format: z.enum(AUDIO_FORMATS).default('mp3') });

type FallbackReasonName = SkipReason | TtsErrorKind;

/** Every reason a voice can be passed over, keyed so the compiler insists each skip reason and error is listed. */
const FALLBACK_REASONS: Record<FallbackReasonName, string> = {
  provider_not_configured: 'the provider has no key here',
  custom_voice_not_ready: 'the custom voice is still training, or its training failed',
  plan_excludes_custom_voice: 'the plan speaks with default voices only',
  budget_exceeded: "the month's character budget is spent, so custom voices give way to default ones",
  retryable: 'the provider failed, and kept failing when tried again',
  rate_limited: 'the provider limited the rate of requests',
  timeout: 'the provider did not answer in time',
  quota_exceeded: "the provider account's quota or credit is spent",
  auth: 'the provider refused the key',
  voice_not_found: 'the provider does not know the voice or model',
  invalid_request: 'the provider refused the input',
};

export const FallbackReason = z
  .enum(Object.keys(FALLBACK_REASONS) as [FallbackReasonName, ...FallbackReasonName[]])
  .describe(
    Object.entries(FALLBACK_REASONS)
      .map(([reason, meaning]) => `${reason}: ${meaning}`)
      .join('; '),
  );

const Attempt = z.object({
  provider: z.string(),
  voice_id: z.string(),
  reason: FallbackReason,
  message: z.string().optional(),
});

export const SpeechAnswer = z
  .object({
    audio_url: z.string().describe('Presigned, valid for at most 15 minutes'),
    format: z.enum(AUDIO_FORMATS),
    cached: z.boolean().describe('Every sentence came from the cache: no provider was paid'),
    provider: TtsProviderName,
    model: z.string(),
    voice_id: z.string(),
    fell_back: z.boolean().describe("Another voice spoke than the personality's own"),
    fallback_reasons: z.array(Attempt).describe('Voices passed over before the one that spoke, and why'),
    characters: z.int(),
    audio_seconds: z.number(),
    sentences: z.int(),
    cached_sentences: z.int(),
  })
  .meta({ id: 'SpeechAnswer' });
export type SpeechAnswer = z.infer<typeof SpeechAnswer>;

export const VoiceSettingsUpdate = z
  .strictObject({
    settings: VoiceSettings,
    model: z.string().trim().min(1).max(100).optional(),
    version: z.int().min(0).optional(),
  })
  .meta({ id: 'VoiceSettingsUpdate' });

export const PronunciationEntry = z
  .strictObject({
    grapheme: z.string().trim().min(1).max(100),
    alias: z.string().trim().min(1).max(200).optional(),
    phoneme: z.string().trim().min(1).max(200).optional(),
    alphabet: z.enum(['ipa', 'x-sampa']).optional(),
    case_sensitive: z.boolean().optional(),
  })
  .refine((entry) => entry.alias !== undefined || entry.phoneme !== undefined, 'needs an alias or a phoneme')
  .meta({ id: 'PronunciationEntry' });

export const LexiconUpdate = z
  .strictObject({
    entries: z.array(PronunciationEntry).max(500),
    version: z.int().min(0).optional(),
  })
  .meta({ id: 'LexiconUpdate' });
export type LexiconUpdate = z.infer<typeof LexiconUpdate>;

export const Lexicon = z
  .object({
    scope: z.string().describe('A personality id, or "tenant" for entries every personality uses'),
    entries: z.array(PronunciationEntry),
    version: z.int().min(0),
    updated_at: z.string().optional(),
  })
  .meta({ id: 'Lexicon' });
export type Lexicon = z.infer<typeof Lexicon>;

export const ProvidersQuery = z.strictObject({
  language: z
    .string()
    .regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'must be a language tag such as en or en-US')
    .optional(),
});

export const ProviderList = z
  .object({
    providers: z.array(
      z.object({
        name: TtsProviderName,
        default_model: z.string(),
        models: z.array(
          z.object({
            id: z.string(),
            description: z.string(),
            max_input: z.int(),
            limit_unit: z.enum(['characters', 'bytes']),
            formats: z.array(z.string()),
            low_latency: z.boolean().optional(),
            retires_on: z.string().optional(),
            usd_per_million_characters: z.number(),
          }),
        ),
        settings: z.record(z.string(), z.unknown()),
        supports_phonemes: z.boolean(),
        clones_voices: z.boolean(),
        voices: z.array(
          z.object({
            id: z.string(),
            name: z.string(),
            languages: z.array(z.string()),
            gender: z.string().optional(),
            custom: z.boolean().optional(),
          }),
        ),
        error: z.string().optional().describe('Set when the provider could not list its voices just now'),
      }),
    ),
  })
  .meta({ id: 'ProviderList' });

export const PersonalityVoiceParams = z.strictObject({ id: PersonalityId });
