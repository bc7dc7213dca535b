// Which voices may speak for a personality, in order: its own, its fallback, the tenant's default, the platform's.
import type { Personality } from '../personalities/schemas.ts';
import type { ProviderName, VoiceSettings } from '../providers/tts/port.ts';
import type { CustomVoiceRefusal } from '../usage/allowance.ts';

export type VoiceSource = 'personality' | 'fallback' | 'tenant_default' | 'platform_default';

export interface VoiceChoice {
  provider: ProviderName;
  voiceId: string;
  model?: string;
  settings: VoiceSettings;
  language: string;
  source: VoiceSource;
  /** Place in the whole chain, skipped voices included. */
  order: number;
}

/** Why a voice is passed over before it is tried. */
export type SkipReason = 'provider_not_configured' | 'custom_voice_not_ready' | CustomVoiceRefusal;

export interface SkippedVoice {
  provider: string;
  voice_id: string;
  source: VoiceSource;
  reason: SkipReason;
  order: number;
}

export interface ConfiguredVoice {
  provider: string;
  voice_id: string;
  model?: string;
}

/** `provider:voice_id[:model]`, as DEFAULT_VOICE is written. */
export function parseVoiceSpec(spec: string | undefined): ConfiguredVoice | undefined {
  if (!spec) return undefined;
  const [provider, voice_id, model] = spec.split(':');
  if (!provider || !voice_id) return undefined;
  return { provider, voice_id, ...(model ? { model } : {}) };
}

/** The local voice closest to the personality: its language, and a female or male variant by its gender. */
export function autoLocalVoice(language: string, gender: string | undefined): string {
  const base = language.toLowerCase().startsWith('en-gb')
    ? 'en-gb'
    : language.toLowerCase().startsWith('en')
      ? 'en-us'
      : language.toLowerCase().split('-')[0]!;
  if (gender === 'female') return `${base}+f3`;
  if (gender === 'male') return `${base}+m3`;
  return base;
}

export function voiceChain(input: {
  personality: Personality;
  tenantDefault?: ConfiguredVoice | undefined;
  platformDefault?: ConfiguredVoice | undefined;
  isConfigured: (provider: string) => provider is ProviderName;
  settingsOverride?: VoiceSettings | undefined;
  modelOverride?: string | undefined;
  /** Set when the tenant's plan or spent budget rules out the personality's own cloned voice. */
  customVoiceRefusal?: CustomVoiceRefusal | undefined;
}): { chain: VoiceChoice[]; skipped: SkippedVoice[] } {
  const { personality } = input;
  const language = personality.voice_config?.language ?? personality.language;
  const settings: VoiceSettings = { ...personality.voice_config?.settings, ...input.settingsOverride };
  const candidates: Array<{ voice: ConfiguredVoice; source: VoiceSource; passOver?: SkipReason }> = [];
  const config = personality.voice_config;
  if (config) {
    const model = input.modelOverride ?? config.model;
    // A voice being trained, or whose training failed, is not there to speak yet; a ready one is a cloned voice,
    // which the plan or the month's budget may rule out.
    const passOver =
      config.status === 'training' || config.status === 'failed'
        ? 'custom_voice_not_ready'
        : config.status === 'ready'
          ? input.customVoiceRefusal
          : undefined;
    candidates.push({
      voice: { provider: config.provider, voice_id: config.voice_id, ...(model ? { model } : {}) },
      source: 'personality',
      ...(passOver ? { passOver } : {}),
    });
    if (config.fallback) candidates.push({ voice: config.fallback, source: 'fallback' });
  }
  if (input.tenantDefault) candidates.push({ voice: input.tenantDefault, source: 'tenant_default' });
  if (input.platformDefault) candidates.push({ voice: input.platformDefault, source: 'platform_default' });

  const chain: VoiceChoice[] = [];
  const skipped: SkippedVoice[] = [];
  const seen = new Set<string>();
  for (const { voice, source, passOver } of candidates) {
    const voiceId =
      voice.provider === 'local' && voice.voice_id === 'auto'
        ? autoLocalVoice(language, personality.traits.gender)
        : voice.voice_id;
    const identity = `${voice.provider}:${voiceId}`;
    if (seen.has(identity)) continue;
    seen.add(identity);
    const order = seen.size;
    if (passOver) {
      skipped.push({ provider: voice.provider, voice_id: voiceId, source, reason: passOver, order });
    } else if (!input.isConfigured(voice.provider)) {
      skipped.push({
        provider: voice.provider,
        voice_id: voiceId,
        source,
        reason: 'provider_not_configured',
        order,
      });
    } else {
      chain.push({
        provider: voice.provider,
        voiceId,
        ...(voice.model ? { model: voice.model } : {}),
        settings,
        language,
        source,
        order,
      });
    }
  }
  return { chain, skipped };
}
