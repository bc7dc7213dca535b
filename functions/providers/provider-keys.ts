// The providers' API keys, shared by speech and chat: from the Secrets Manager secret in AWS, from the environment
// locally. What is built from them is kept for as long as the keys are, so a rotated key is picked up unaided.
import { getSecret } from '@aws-lambda-powertools/parameters/secrets';
import type { SpeechConfig } from '../config.ts';

/** The Secrets Manager secret's JSON; every field optional, an empty one leaves its provider out. */
export interface ProviderKeys {
  elevenlabs_api_key?: string;
  openai_api_key?: string;
  /** A service-account key, as an object or as its JSON text. */
  google_credentials?: unknown;
  google_api_key?: string;
}

/** Keys are read again after this long, so a rotated key is picked up without a deployment. */
export const KEYS_MAX_AGE_SECONDS = 300;

export async function providerKeys(speech: SpeechConfig): Promise<ProviderKeys> {
  if (speech.keysSecret) {
    const secret = await getSecret<ProviderKeys>(speech.keysSecret, {
      transform: 'json',
      maxAge: KEYS_MAX_AGE_SECONDS,
    });
    return secret ?? {};
  }
  return {
    ...(speech.elevenlabs.apiKey ? { elevenlabs_api_key: speech.elevenlabs.apiKey } : {}),
    ...(speech.openai.apiKey ? { openai_api_key: speech.openai.apiKey } : {}),
    ...(speech.google.credentials ? { google_credentials: speech.google.credentials } : {}),
    ...(speech.google.apiKey ? { google_api_key: speech.google.apiKey } : {}),
  };
}

/** Until when something built from the keys read `now` may be used: for good when they come from the environment. */
export function keysValidUntil(speech: SpeechConfig, now: number): number {
  return speech.keysSecret ? now + KEYS_MAX_AGE_SECONDS * 1000 : Number.POSITIVE_INFINITY;
}
