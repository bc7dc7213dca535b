// The sentence a personality's voice sample says: its own greeting when it has one.
import type { Personality } from '../personalities/schemas.ts';

export function sampleText(personality: Personality): string {
  const greeting = personality.response_style.opening_phrases?.[0];
  return greeting
    ? `Hi, I'm ${personality.name}. ${greeting}`
    : `Hi, I'm ${personality.name}. How can I help you today?`;
}
