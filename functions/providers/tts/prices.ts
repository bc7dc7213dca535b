// The one price table for speech: US dollars per million characters, per provider and model, with source and date.
import type { ProviderName } from './port.ts';

export interface SpeechPrice {
  usdPerMillionCharacters: number;
  source: string;
  /** When the price was read from the source; check it again before relying on it. */
  checked: string;
}

/**
 * List prices for pay-as-you-go use. ElevenLabs sells plans with credits; its API overage prices per 1,000
 * characters are the closest per-character figure. Google and Polly voice families are the "models" here.
 */
export const SPEECH_PRICES: Record<ProviderName, Record<string, SpeechPrice>> = {
  elevenlabs: {
    eleven_multilingual_v2: {
      usdPerMillionCharacters: 100,
      source: 'https://elevenlabs.io/pricing/api (Multilingual v2/v3: $0.10 per 1K characters)',
      checked: '2026-11-25',
    },
    eleven_flash_v2_5: {
      usdPerMillionCharacters: 50,
      source: 'https://elevenlabs.io/pricing/api (Flash/Turbo: $0.05 per 1K characters)',
      checked: '2026-11-25',
    },
    eleven_turbo_v2_5: {
      usdPerMillionCharacters: 50,
      source: 'https://elevenlabs.io/pricing/api (Flash/Turbo: $0.05 per 1K characters)',
      checked: '2026-11-25',
    },
  },
  google: {
    standard: {
      usdPerMillionCharacters: 4,
      source: 'https://cloud.google.com/text-to-speech/pricing',
      checked: '2026-11-25',
    },
    wavenet: {
      usdPerMillionCharacters: 4,
      source: 'https://cloud.google.com/text-to-speech/pricing',
      checked: '2026-11-25',
    },
    neural2: {
      usdPerMillionCharacters: 16,
      source: 'https://cloud.google.com/text-to-speech/pricing',
      checked: '2026-11-25',
    },
    'chirp3-hd': {
      usdPerMillionCharacters: 30,
      source: 'https://cloud.google.com/text-to-speech/pricing',
      checked: '2026-11-25',
    },
  },
  polly: {
    standard: {
      usdPerMillionCharacters: 4,
      source: 'https://aws.amazon.com/polly/pricing/',
      checked: '2026-11-25',
    },
    neural: {
      usdPerMillionCharacters: 16,
      source: 'https://aws.amazon.com/polly/pricing/',
      checked: '2026-11-25',
    },
    generative: {
      usdPerMillionCharacters: 30,
      source: 'https://aws.amazon.com/polly/pricing/',
      checked: '2026-11-25',
    },
    'long-form': {
      usdPerMillionCharacters: 100,
      source: 'https://aws.amazon.com/polly/pricing/',
      checked: '2026-11-25',
    },
  },
  openai: {
    'tts-1': {
      usdPerMillionCharacters: 15,
      source: 'https://openai.com/api/pricing/',
      checked: '2026-11-25',
    },
    'tts-1-hd': {
      usdPerMillionCharacters: 30,
      source: 'https://openai.com/api/pricing/',
      checked: '2026-11-25',
    },
    // Billed by tokens; about $0.015 a minute of audio, roughly $15 per million characters of English speech.
    'gpt-4o-mini-tts': {
      usdPerMillionCharacters: 15,
      source: 'https://openai.com/api/pricing/',
      checked: '2026-11-25',
    },
  },
  local: {
    'espeak-ng': { usdPerMillionCharacters: 0, source: 'runs in the function itself', checked: '2026-11-25' },
  },
};

/** A model missing from the table is priced at its provider's dearest model, so cost is never understated. */
export function pricePerMillion(provider: ProviderName, model: string): number {
  const prices = SPEECH_PRICES[provider];
  const known = prices[model];
  if (known) return known.usdPerMillionCharacters;
  return Math.max(...Object.values(prices).map((price) => price.usdPerMillionCharacters));
}

/** Cost of speaking `characters` characters, rounded to a millionth of a dollar. */
export function speechCost(provider: ProviderName, model: string, characters: number): number {
  return Math.round(pricePerMillion(provider, model) * characters) / 1_000_000;
}
