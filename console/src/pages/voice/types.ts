// The shapes the voice routes answer with, as the voice page reads them (see functions/voice and functions/training).

export type {
  ProviderName,
  SettingName,
  SettingSpec,
  VoiceSettings,
} from '../../../../functions/providers/tts/port.ts';
import type {
  ProviderName,
  SettingName,
  SettingSpec,
  VoiceSettings,
} from '../../../../functions/providers/tts/port.ts';

export interface VoiceConfig {
  provider: ProviderName;
  voice_id: string;
  voice_name?: string;
  model?: string;
  language?: string;
  settings?: VoiceSettings;
  fallback?: { provider: ProviderName; voice_id: string };
  status: 'none' | 'training' | 'ready' | 'failed';
  created_at?: string;
  sample_keys?: string[];
}

export interface Personality {
  id: string;
  name: string;
  source: 'builtin' | 'tenant';
  language: string;
  emoji?: string;
  voice_config?: VoiceConfig;
  version: number;
}

export interface ProviderVoice {
  id: string;
  name: string;
  languages: string[];
  gender?: string;
  custom?: boolean;
}

export interface ProviderModel {
  id: string;
  description: string;
  max_input: number;
  limit_unit: 'characters' | 'bytes';
  formats: string[];
  low_latency?: boolean;
  retires_on?: string;
  usd_per_million_characters: number;
}

export interface ProviderInfo {
  name: ProviderName;
  default_model: string;
  models: ProviderModel[];
  settings: Partial<Record<SettingName, SettingSpec>>;
  supports_phonemes: boolean;
  clones_voices: boolean;
  voices: ProviderVoice[];
  error?: string;
}

export interface ProviderList {
  providers: ProviderInfo[];
}

export interface FallbackAttempt {
  provider: string;
  voice_id: string;
  reason: string;
  message?: string;
}

export interface SpeechAnswer {
  audio_url: string;
  format: string;
  cached: boolean;
  provider: ProviderName;
  model: string;
  voice_id: string;
  fell_back: boolean;
  fallback_reasons: FallbackAttempt[];
  characters: number;
  audio_seconds: number;
  sentences: number;
  cached_sentences: number;
}

export interface SampleReason {
  code: string;
  message: string;
  tip: string;
}

export interface SampleReport {
  verdict: 'valid' | 'rejected';
  format?: string;
  duration_seconds?: number;
  sample_rate?: number;
  channels?: number;
  size_bytes: number;
  quality?: Record<string, number>;
  analysis: 'full' | 'metadata_only';
  reasons: SampleReason[];
}

export interface Sample {
  id: string;
  personality_id: string;
  file_name: string;
  content_type: string;
  status: 'pending' | 'valid' | 'rejected';
  duration_seconds?: number;
  report?: SampleReport;
  created_at: string;
  validated_at?: string;
}

export interface SampleList {
  samples: Sample[];
  valid_seconds: number;
  needed_seconds: { min: number; max: number };
}

export interface UploadAnswer {
  samples: Array<{
    sample_id: string;
    file_name: string;
    upload: { url: string; fields: Record<string, string> };
    expires_in_seconds: number;
  }>;
  tips: string[];
}

export interface VoiceStatus {
  status: 'none' | 'training' | 'ready' | 'failed';
  progress: number;
  step: string;
  provider: string | null;
  voice_id: string | null;
  training_job_id: string | null;
  error: { code: string; message: string } | null;
  updated_at: string | null;
}

export interface PronunciationEntry {
  grapheme: string;
  alias?: string;
  phoneme?: string;
  alphabet?: 'ipa' | 'x-sampa';
  case_sensitive?: boolean;
}

export interface Lexicon {
  scope: string;
  entries: PronunciationEntry[];
  version: number;
  updated_at?: string;
}

/** The base path of one personality's voice routes. */
export const voicePath = (personalityId: string) =>
  `/api/admin/ai-personalities/${encodeURIComponent(personalityId)}/voice`;
