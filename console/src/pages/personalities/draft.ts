// The editor's working copy of a personality, and what it sends: the whole draft to create, only changes to update.
import type { Personality, PersonalityCreate, PersonalityUpdate, ResponseStyle, Traits } from './types.ts';
import {
  LANGUAGE_TAG,
  MAX_EMOJI_LENGTH,
  MAX_NAME_LENGTH,
  MAX_PHRASE_LENGTH,
  MAX_PHRASES,
  MAX_PROMPT_LENGTH,
} from './options.ts';

export interface Draft {
  name: string;
  language: string;
  emoji: string;
  is_active: boolean;
  traits: Traits;
  opening_phrases: string[];
  product_transitions: string[];
  closing_phrases: string[];
  system_prompt: string;
}

export type PhraseBank = 'opening_phrases' | 'product_transitions' | 'closing_phrases';

export const EMPTY_DRAFT: Draft = {
  name: '',
  language: 'en-US',
  emoji: '',
  is_active: true,
  traits: {},
  opening_phrases: [],
  product_transitions: [],
  closing_phrases: [],
  system_prompt: '',
};

export function draftOf(personality: Personality): Draft {
  return {
    name: personality.name,
    language: personality.language,
    emoji: personality.emoji ?? '',
    is_active: personality.is_active,
    traits: { ...personality.traits },
    opening_phrases: [...(personality.response_style.opening_phrases ?? [])],
    product_transitions: [...(personality.response_style.product_transitions ?? [])],
    closing_phrases: [...(personality.response_style.closing_phrases ?? [])],
    system_prompt: personality.system_prompt ?? '',
  };
}

const cleanPhrases = (phrases: string[]) =>
  phrases.map((phrase) => phrase.trim()).filter((phrase) => phrase !== '');

function responseStyleOf(draft: Draft): ResponseStyle {
  return {
    opening_phrases: cleanPhrases(draft.opening_phrases),
    product_transitions: cleanPhrases(draft.product_transitions),
    closing_phrases: cleanPhrases(draft.closing_phrases),
  };
}

/** What the preview renders: the draft as the API would store it. */
export function previewSource(draft: Draft) {
  return {
    name: draft.name.trim(),
    language: draft.language.trim(),
    emoji: draft.emoji.trim(),
    traits: draft.traits,
    response_style: responseStyleOf(draft),
    system_prompt: draft.system_prompt,
  };
}

export function createBody(draft: Draft): PersonalityCreate {
  const source = previewSource(draft);
  return {
    ...source,
    is_active: draft.is_active,
    ...(source.emoji === '' ? { emoji: undefined } : {}),
    ...(source.system_prompt.trim() === '' ? { system_prompt: undefined } : {}),
  };
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Only what changed, so a save never rewrites a field someone else just changed and this editor left alone. */
export function updateBody(draft: Draft, saved: Personality): PersonalityUpdate {
  const next = previewSource(draft);
  const before = draftOf(saved);
  const change: PersonalityUpdate = { version: saved.version };
  if (next.name !== before.name) change.name = next.name;
  if (next.language !== before.language) change.language = next.language;
  if (next.emoji !== before.emoji) change.emoji = next.emoji;
  if (draft.is_active !== saved.is_active) change.is_active = draft.is_active;
  if (next.system_prompt !== before.system_prompt) change.system_prompt = next.system_prompt;
  const traits = Object.fromEntries(
    Object.entries(draft.traits).filter(([key, value]) => !same(value, saved.traits[key as keyof Traits])),
  );
  if (Object.keys(traits).length > 0) change.traits = traits;
  const style = Object.fromEntries(
    (['opening_phrases', 'product_transitions', 'closing_phrases'] as const)
      .filter((bank) => !same(next.response_style[bank], cleanPhrases(before[bank])))
      .map((bank) => [bank, next.response_style[bank]]),
  );
  if (Object.keys(style).length > 0) change.response_style = style;
  return change;
}

export const hasChanges = (change: PersonalityUpdate) => Object.keys(change).some((key) => key !== 'version');

export type Problems = Partial<
  Record<'name' | 'language' | 'emoji' | 'system_prompt' | 'age' | PhraseBank, string>
>;

/** The checks the API makes, shown beside the fields before a save is tried. */
export function problemsOf(draft: Draft): Problems {
  const problems: Problems = {};
  const name = draft.name.trim();
  if (name === '') problems.name = 'Enter a name.';
  else if (name.length > MAX_NAME_LENGTH) problems.name = `At most ${MAX_NAME_LENGTH} characters.`;
  if (!LANGUAGE_TAG.test(draft.language.trim()))
    problems.language = 'Enter a BCP 47 language tag such as en-US.';
  if (draft.emoji.trim().length > MAX_EMOJI_LENGTH)
    problems.emoji = `At most ${MAX_EMOJI_LENGTH} characters.`;
  if (draft.system_prompt.length > MAX_PROMPT_LENGTH)
    problems.system_prompt = `At most ${MAX_PROMPT_LENGTH} characters.`;
  const age = draft.traits.age;
  if (age !== undefined && (!Number.isInteger(age) || age < 18 || age > 120))
    problems.age = 'A whole number from 18 to 120.';
  for (const bank of ['opening_phrases', 'product_transitions', 'closing_phrases'] as const) {
    const phrases = cleanPhrases(draft[bank]);
    if (phrases.length > MAX_PHRASES) problems[bank] = `At most ${MAX_PHRASES} phrases.`;
    else if (phrases.some((phrase) => phrase.length > MAX_PHRASE_LENGTH))
      problems[bank] = `Each phrase at most ${MAX_PHRASE_LENGTH} characters.`;
  }
  return problems;
}
