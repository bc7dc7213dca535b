// The original design's small-business month, priced with this product's price table and the cache shares measured
// on the corpus, beside the original estimates.
import { SPEECH_PRICES, speechCost } from '../functions/providers/tts/prices.ts';

export const SCENARIO = {
  conversations: 1000,
  messagesPerConversation: 10,
  charactersPerMessage: 300,
  /** Default voices: the built-in personalities' Google Neural2 voices. */
  defaultShare: 0.7,
  /** Custom (cloned) voices: ElevenLabs, at its provider's default model. */
  customShare: 0.3,
} as const;

export const ORIGINAL_ESTIMATE = { hybridUsd: 153, withCachingUsd: 123 } as const;

const DEFAULT_VOICE = { provider: 'google', model: 'neural2' } as const;
const CUSTOM_VOICE = { provider: 'elevenlabs', model: 'eleven_multilingual_v2' } as const;
const CHEAPER_CUSTOM_VOICE = { provider: 'elevenlabs', model: 'eleven_flash_v2_5' } as const;

export interface MonthCost {
  characters: number;
  defaultVoiceUsd: number;
  customVoiceUsd: number;
  /** Before any cache. */
  uncachedUsd: number;
  wholeReplyCachedUsd: number;
  sentenceCachedUsd: number;
  /** Sentence caching, if custom voices used ElevenLabs Flash instead of Multilingual v2. */
  sentenceCachedFlashUsd: number;
  prices: string;
}

/** Cached characters cost nothing (a hit makes no provider call), so a share of characters served is that share of the bill. */
export function monthCost(shares: { sentenceShare: number; wholeReplyShare: number }): MonthCost {
  const characters =
    SCENARIO.conversations * SCENARIO.messagesPerConversation * SCENARIO.charactersPerMessage;
  const defaultCharacters = characters * SCENARIO.defaultShare;
  const customCharacters = characters * SCENARIO.customShare;
  const defaultVoiceUsd = speechCost(DEFAULT_VOICE.provider, DEFAULT_VOICE.model, defaultCharacters);
  const customVoiceUsd = speechCost(CUSTOM_VOICE.provider, CUSTOM_VOICE.model, customCharacters);
  const flashUsd = speechCost(CHEAPER_CUSTOM_VOICE.provider, CHEAPER_CUSTOM_VOICE.model, customCharacters);
  const uncachedUsd = defaultVoiceUsd + customVoiceUsd;
  const price = (voice: { provider: 'google' | 'elevenlabs'; model: string }) => {
    const entry = (
      SPEECH_PRICES[voice.provider] as Record<string, { usdPerMillionCharacters: number; checked: string }>
    )[voice.model]!;
    return `${voice.provider} ${voice.model} $${entry.usdPerMillionCharacters}/M (checked ${entry.checked})`;
  };
  return {
    characters,
    defaultVoiceUsd,
    customVoiceUsd,
    uncachedUsd,
    wholeReplyCachedUsd: uncachedUsd * (1 - shares.wholeReplyShare),
    sentenceCachedUsd: uncachedUsd * (1 - shares.sentenceShare),
    sentenceCachedFlashUsd: (defaultVoiceUsd + flashUsd) * (1 - shares.sentenceShare),
    prices: `${price(DEFAULT_VOICE)}; ${price(CUSTOM_VOICE)}`,
  };
}
