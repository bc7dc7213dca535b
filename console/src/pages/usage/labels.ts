// Names people know for a report's groups: providers by their product name, personalities by theirs.

const PROVIDERS: Record<string, string> = {
  elevenlabs: 'ElevenLabs',
  google: 'Google Cloud Text-to-Speech',
  polly: 'Amazon Polly',
  openai: 'OpenAI',
  local: 'Local (espeak-ng)',
};

export const providerLabel = (key: string) => PROVIDERS[key] ?? key;

/** Records spoken for no particular personality are grouped under this key by the API. */
const NO_PERSONALITY = '(none)';

export function personalityLabel(key: string, names: ReadonlyMap<string, string>): string {
  if (key === NO_PERSONALITY) return 'No personality';
  const name = names.get(key);
  return name && name !== key ? `${name} (${key})` : key;
}
