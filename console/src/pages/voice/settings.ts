// Which voice settings each provider applies, with their ranges, and what the sliders call them.
import { SETTING_RANGES } from '../../../../functions/providers/tts/setting-ranges.ts';
import type { ProviderInfo, ProviderName, SettingName, SettingSpec, VoiceSettings } from './types.ts';

type Ranges = Partial<Record<SettingName, SettingSpec>>;

/**
 * The ranges the API checks, from the same table. The providers route is asked first; this table serves a
 * personality whose provider has no key on this deployment, whose voice can still be tuned.
 */
const KNOWN_RANGES: Record<ProviderName, Ranges> = SETTING_RANGES;

export const SETTING_TEXT: Record<SettingName, { label: string; description: string; step: number }> = {
  stability: {
    label: 'Stability',
    description: 'Lower is more expressive and varied; higher is steadier and more monotone.',
    step: 0.05,
  },
  similarity_boost: {
    label: 'Similarity boost',
    description: 'How closely the speech keeps to the original voice.',
    step: 0.05,
  },
  style: { label: 'Style', description: 'Exaggerates the speaker’s style; adds latency.', step: 0.05 },
  use_speaker_boost: {
    label: 'Speaker boost',
    description: 'Strengthens the likeness to the original speaker.',
    step: 1,
  },
  speed: { label: 'Speed', description: '1 is the voice’s natural pace.', step: 0.05 },
  speaking_rate: { label: 'Speaking rate', description: '1 is the voice’s normal rate.', step: 0.05 },
  pitch: { label: 'Pitch', description: 'Semitones up or down from the voice’s own pitch.', step: 1 },
};

/** The settings the provider applies, from its live description when it is configured here. */
export function rangesOf(provider: ProviderName, providers: ProviderInfo[] | undefined): Ranges {
  const live = providers?.find((candidate) => candidate.name === provider)?.settings;
  return live && Object.keys(live).length ? live : KNOWN_RANGES[provider];
}

/** Only the settings this provider applies, each brought within its range. */
export function settingsFor(ranges: Ranges, settings: VoiceSettings | undefined): VoiceSettings {
  const kept: VoiceSettings = {};
  for (const [name, spec] of Object.entries(ranges) as Array<[SettingName, SettingSpec]>) {
    const value = settings?.[name];
    if (spec.kind === 'boolean') {
      if (typeof value === 'boolean') (kept as Record<string, unknown>)[name] = value;
    } else if (typeof value === 'number' && Number.isFinite(value)) {
      (kept as Record<string, unknown>)[name] = Math.min(spec.max, Math.max(spec.min, value));
    }
  }
  return kept;
}

/** The value a control shows: the setting, or the provider's default when it is not set. */
export function shownValue(spec: SettingSpec, value: number | boolean | undefined): number | boolean {
  return value ?? spec.default;
}
