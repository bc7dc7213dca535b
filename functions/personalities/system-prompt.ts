// Turns a personality (stored, built-in, or a half-filled draft in the console editor) into the chat model's system prompt.
import type { Personality, ResponseStyle, Traits } from './schemas.ts';
import {
  COMMUNICATION_STYLE_WORDING,
  CUSTOM_PROMPT_HEADING,
  EMPATHY_LEVEL_BANDS,
  FORMALITY_WORDING,
  GENDER_WORDING,
  HUMOR_LEVEL_BANDS,
  HUMOR_OFF,
  HUMOR_STYLE_WORDING,
  JARGON_LEVEL_BANDS,
  KNOWLEDGE_LEVEL_WORDING,
  LANGUAGE_NAMES,
  PHRASE_BANK_HEADINGS,
  RESPONSE_LENGTH_WORDING,
  SAFETY_RULES,
  SALES_APPROACH_WORDING,
  type Band,
} from './system-prompt-wording.ts';

/** Only the name is required, so the editor can preview a prompt while most fields are still empty. */
export type PromptSource = Pick<Personality, 'name'> & Partial<Omit<Personality, 'name'>>;

// Drafts and older stored documents can hold values the current schema would refuse; such a value is
// left out rather than let "undefined" or a half-sentence reach the model.
function lookup(table: Readonly<Record<string, string>>, key: string | undefined): string | undefined {
  return key !== undefined && Object.hasOwn(table, key) ? table[key] : undefined;
}

function band(bands: readonly Band[], level: number | undefined): string | undefined {
  if (typeof level !== 'number' || !Number.isFinite(level)) return undefined;
  const clamped = Math.min(10, Math.max(0, Math.round(level)));
  return bands.find((b) => clamped <= b.upTo)?.text;
}

/** Collapses line breaks and runs of spaces, so one field cannot break the layout of the prompt. */
function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function isAge(age: unknown): age is number {
  return typeof age === 'number' && Number.isInteger(age) && age >= 18 && age <= 120;
}

/** "an 18-year-old", "an 80-year-old", otherwise "a …": the article follows how the number is spoken. */
function article(word: string): 'a' | 'an' {
  return /^(8|18-)/.test(word) || /^[aeiou]/i.test(word) ? 'an' : 'a';
}

export function describeIdentity(source: Pick<PromptSource, 'name' | 'traits'>): string {
  const name = oneLine(typeof source.name === 'string' ? source.name : '');
  const age = source.traits?.age;
  const gender = lookup(GENDER_WORDING, source.traits?.gender);
  const words = [isAge(age) ? `${age}-year-old` : undefined, gender, 'budtender'].filter(
    (w): w is string => w !== undefined,
  );
  const first = words[0] ?? 'budtender';
  const who = `${article(first)} ${words.join(' ')}`;
  const subject = name === '' ? `You are ${who}` : `You are ${name}, ${who}`;
  return `${subject} at a licensed cannabis dispensary, helping customers by chat to find products that suit them.`;
}

/** One sentence per trait that is set, in a fixed order; age and gender belong to the identity sentence instead. */
export function describeTraits(traits: Traits | undefined): string[] {
  if (traits === undefined || traits === null) return [];
  const humorOff = traits.humor_style === 'none' || traits.humor_level === 0;
  const humor = humorOff
    ? [HUMOR_OFF]
    : [lookup(HUMOR_STYLE_WORDING, traits.humor_style), band(HUMOR_LEVEL_BANDS, traits.humor_level)];
  return [
    lookup(COMMUNICATION_STYLE_WORDING, traits.communication_style),
    lookup(FORMALITY_WORDING, traits.formality),
    lookup(KNOWLEDGE_LEVEL_WORDING, traits.knowledge_level),
    ...humor,
    band(EMPATHY_LEVEL_BANDS, traits.empathy_level),
    band(JARGON_LEVEL_BANDS, traits.jargon_level),
    lookup(SALES_APPROACH_WORDING, traits.sales_approach),
    lookup(RESPONSE_LENGTH_WORDING, traits.response_length),
  ].filter((s): s is string => s !== undefined);
}

export function describeLanguage(tag: string | undefined): string | undefined {
  const cleaned = typeof tag === 'string' ? oneLine(tag) : '';
  if (cleaned === '') return undefined;
  const primary = cleaned.split('-')[0]?.toLowerCase() ?? '';
  const name = lookup(LANGUAGE_NAMES, primary);
  return name === undefined
    ? `Reply in the language with the tag ${cleaned}.`
    : `Reply in ${name} (${cleaned}).`;
}

export function describeEmoji(emoji: string | undefined): string {
  const cleaned = typeof emoji === 'string' ? oneLine(emoji) : '';
  return cleaned === ''
    ? 'Use emoji rarely, if at all.'
    : `Your signature emoji is ${cleaned}. Use it sparingly: now and then in a greeting or sign-off, never in every message, and keep other emoji rare.`;
}

/** The heading and a quoted bullet per phrase, in the order given; undefined when nothing non-blank is left. */
export function describePhraseBank(
  heading: string,
  phrases: readonly string[] | undefined,
): string | undefined {
  const lines = (Array.isArray(phrases) ? phrases : [])
    .filter((p): p is string => typeof p === 'string')
    .map(oneLine)
    .filter((p) => p !== '')
    .map((p) => `- "${p}"`);
  return lines.length === 0 ? undefined : [heading, ...lines].join('\n');
}

export function describePhraseBanks(style: ResponseStyle | undefined): string[] {
  const banks = Object.entries(PHRASE_BANK_HEADINGS) as [keyof typeof PHRASE_BANK_HEADINGS, string][];
  return banks
    .map(([key, heading]) => describePhraseBank(heading, style?.[key]))
    .filter((s): s is string => s !== undefined);
}

export function describeCustomPrompt(prompt: string | undefined): string | undefined {
  if (typeof prompt !== 'string') return undefined;
  // Line breaks are the store's own formatting and are kept; only what would read as section breaks is tamed.
  const body = prompt
    .split(/\r?\n/)
    .map((line) => line.trimEnd())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  return body === '' ? undefined : `${CUSTOM_PROMPT_HEADING}\n${body}`;
}

/** Pure: the same personality always gives the same prompt, so it can be cached and previewed safely. */
export function buildSystemPrompt(personality: PromptSource): string {
  const traits = describeTraits(personality.traits);
  const sections = [
    describeIdentity(personality),
    traits.length > 0 ? traits.join('\n') : undefined,
    [describeLanguage(personality.language), describeEmoji(personality.emoji)]
      .filter((s): s is string => s !== undefined)
      .join('\n'),
    ...describePhraseBanks(personality.response_style),
    describeCustomPrompt(personality.system_prompt),
    SAFETY_RULES,
  ];
  return sections.filter((s): s is string => s !== undefined && s !== '').join('\n\n');
}
