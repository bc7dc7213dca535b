// eSpeak NG's voices as this project offers them, and the limits of its rate and pitch options: shared by the
// `local` provider and by the voice profiles it builds from samples.

/** eSpeak's own limits and defaults: words per minute (-s) and pitch on its 0–99 scale (-p). */
export const ESPEAK_WPM = { normal: 175, min: 80, max: 450 } as const;
export const ESPEAK_PITCH = { normal: 50, perStep: 2.5, min: 0, max: 99 } as const;

/** eSpeak voices offered, by the id eSpeak selects them with; their default variant is male. */
export const ESPEAK_LANGUAGES = [
  { voice: 'en-us', tag: 'en-US', name: 'English (US)' },
  { voice: 'en-gb', tag: 'en-GB', name: 'English (UK)' },
  { voice: 'es', tag: 'es-ES', name: 'Spanish (Spain)' },
  { voice: 'es-419', tag: 'es-419', name: 'Spanish (Latin America)' },
  { voice: 'fr', tag: 'fr-FR', name: 'French (France)' },
  { voice: 'de', tag: 'de-DE', name: 'German' },
  { voice: 'it', tag: 'it-IT', name: 'Italian' },
  { voice: 'pt-br', tag: 'pt-BR', name: 'Portuguese (Brazil)' },
  { voice: 'nl', tag: 'nl-NL', name: 'Dutch' },
] as const;

export type EspeakLanguage = (typeof ESPEAK_LANGUAGES)[number]['voice'];

/** eSpeak variants (files in espeak-ng-data/voices/!v of this build) that change the speaker's gender and pitch. */
export const ESPEAK_VARIANTS = [
  { suffix: '', label: 'male', gender: 'male' },
  { suffix: '+m3', label: 'male 2', gender: 'male' },
  { suffix: '+f3', label: 'female', gender: 'female' },
  { suffix: '+f1', label: 'female, older', gender: 'female' },
] as const;

export function isEspeakLanguage(voice: string): voice is EspeakLanguage {
  return ESPEAK_LANGUAGES.some((language) => language.voice === voice);
}
