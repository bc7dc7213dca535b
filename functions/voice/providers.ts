// What the console's voice picker shows: each configured provider with its models, settings and voices.
import { logger } from '../powertools.ts';
import type { ProviderName, TtsProvider, VoiceInfo } from '../providers/tts/port.ts';
import { pricePerMillion } from '../providers/tts/prices.ts';
import { providerRegistry } from '../providers/tts/registry.ts';

/** Voice lists change rarely and listing them costs a provider call: keep each for a while. */
const VOICES_TTL_MS = 10 * 60 * 1000;
const voiceCache = new Map<string, { voices: VoiceInfo[]; until: number }>();

async function voicesOf(provider: TtsProvider, language: string | undefined): Promise<VoiceInfo[]> {
  const key = `${provider.name}|${language ?? ''}`;
  const hit = voiceCache.get(key);
  if (hit && hit.until > Date.now()) return hit.voices;
  const voices = await provider.listVoices(language ? { language } : {});
  voiceCache.set(key, { voices, until: Date.now() + VOICES_TTL_MS });
  return voices;
}

function describe(provider: TtsProvider, voices: VoiceInfo[], error?: string) {
  return {
    name: provider.name,
    default_model: provider.defaultModel,
    models: provider.models.map((model) => ({
      id: model.id,
      description: model.description,
      max_input: model.maxInput,
      limit_unit: model.limitUnit,
      formats: [...model.formats],
      ...(model.lowLatency ? { low_latency: true } : {}),
      ...(model.retiresOn ? { retires_on: model.retiresOn } : {}),
      usd_per_million_characters: pricePerMillion(provider.name, model.id),
    })),
    settings: provider.settings,
    supports_phonemes: provider.supportsPhonemes,
    clones_voices: provider.cloning !== undefined,
    voices: voices.map(({ id, name, languages, gender, custom }) => ({
      id,
      name,
      languages,
      ...(gender ? { gender } : {}),
      ...(custom ? { custom } : {}),
    })),
    ...(error ? { error } : {}),
  };
}

/** Every configured provider; one that cannot list its voices right now is shown with an error, not dropped. */
export async function listProviders(language: string | undefined) {
  const registry = await providerRegistry();
  const providers = await Promise.all(
    registry.names.map(async (name: ProviderName) => {
      const provider = await registry.get(name);
      try {
        return describe(provider, await voicesOf(provider, language));
      } catch (error) {
        logger.warn('provider voices unavailable', { provider: name, error: error as Error });
        return describe(provider, [], 'The provider did not list its voices just now; try again shortly.');
      }
    }),
  );
  return { providers };
}
