// Tuning a personality's voice: settings checked against the ranges of the provider that speaks it.
import { ConflictError } from '../http/errors.ts';
import { getPersonality, updatePersonality } from '../personalities/personalities.ts';
import type { Personality } from '../personalities/schemas.ts';
import type { VoiceSettings } from '../providers/tts/port.ts';
import { assertSettingsInRange } from '../providers/tts/setting-ranges.ts';

/**
 * Replaces the voice settings (and optionally the model) of a personality's voice.
 * The version read is checked as for any personality change; without one, the current version is used.
 */
export async function updateVoiceSettings(
  tenantId: string,
  personalityId: string,
  change: { settings: VoiceSettings; model?: string | undefined },
  expectedVersion: number | undefined,
): Promise<Personality> {
  const personality = await getPersonality(tenantId, personalityId);
  const voice = personality.voice_config;
  if (!voice) {
    throw new ConflictError(
      'no_voice_configured',
      `"${personalityId}" has no voice yet; set its voice_config first.`,
    );
  }
  assertSettingsInRange(voice.provider, { ...change.settings });
  const { status: _status, created_at: _created, sample_keys: _samples, ...editable } = voice;
  return updatePersonality(
    tenantId,
    personalityId,
    {
      voice_config: {
        ...editable,
        settings: change.settings,
        ...(change.model ? { model: change.model } : {}),
      },
    },
    expectedVersion ?? personality.version,
  );
}
