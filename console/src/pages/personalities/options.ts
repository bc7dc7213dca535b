// The trait choices the editor offers, keyed by the API's own enumerations so a new value fails the typecheck here.
import type { z } from 'zod';
import type {
  CommunicationStyle,
  Formality,
  Gender,
  HumorStyle,
  KnowledgeLevel,
  ResponseLength,
  SalesApproach,
  Traits,
} from '../../../../functions/personalities/schemas.ts';

type Labels<E extends z.ZodEnum> = Readonly<Record<z.infer<E>, string>>;

export const GENDER_LABELS: Labels<typeof Gender> = {
  male: 'Male',
  female: 'Female',
  'non-binary': 'Non-binary',
};

export const COMMUNICATION_STYLE_LABELS: Labels<typeof CommunicationStyle> = {
  casual: 'Casual',
  friendly: 'Friendly',
  professional: 'Professional',
  enthusiastic: 'Enthusiastic',
  'laid-back': 'Laid-back',
  sophisticated: 'Sophisticated',
};

export const KNOWLEDGE_LEVEL_LABELS: Labels<typeof KnowledgeLevel> = {
  beginner: 'Beginner',
  intermediate: 'Intermediate',
  expert: 'Expert',
};

export const HUMOR_STYLE_LABELS: Labels<typeof HumorStyle> = {
  none: 'None',
  dry: 'Dry',
  playful: 'Playful',
  witty: 'Witty',
  goofy: 'Goofy',
};

export const RESPONSE_LENGTH_LABELS: Labels<typeof ResponseLength> = {
  short: 'Short',
  medium: 'Medium',
  long: 'Long',
};

export const SALES_APPROACH_LABELS: Labels<typeof SalesApproach> = {
  soft: 'Soft',
  consultative: 'Consultative',
  enthusiastic: 'Enthusiastic',
  direct: 'Direct',
};

export const FORMALITY_LABELS: Labels<typeof Formality> = {
  casual: 'Casual',
  neutral: 'Neutral',
  formal: 'Formal',
};

type ChoiceTrait =
  | 'gender'
  | 'communication_style'
  | 'knowledge_level'
  | 'humor_style'
  | 'response_length'
  | 'sales_approach'
  | 'formality';
type LevelTrait = 'humor_level' | 'empathy_level' | 'jargon_level';

/** The enumerated traits, in the order the editor shows them. */
export const CHOICE_TRAITS: ReadonlyArray<{
  key: ChoiceTrait;
  label: string;
  labels: Readonly<Record<string, string>>;
}> = [
  { key: 'gender', label: 'Gender', labels: GENDER_LABELS },
  { key: 'communication_style', label: 'Communication style', labels: COMMUNICATION_STYLE_LABELS },
  { key: 'formality', label: 'Formality', labels: FORMALITY_LABELS },
  { key: 'knowledge_level', label: 'Knowledge level', labels: KNOWLEDGE_LEVEL_LABELS },
  { key: 'humor_style', label: 'Humour style', labels: HUMOR_STYLE_LABELS },
  { key: 'response_length', label: 'Response length', labels: RESPONSE_LENGTH_LABELS },
  { key: 'sales_approach', label: 'Sales approach', labels: SALES_APPROACH_LABELS },
];

/** The 0–10 levels (schemas.ts `level()`), shown as sliders. */
export const LEVEL_TRAITS: ReadonlyArray<{ key: LevelTrait; label: string; description: string }> = [
  { key: 'humor_level', label: 'Humour level', description: 'How often humour shows.' },
  {
    key: 'empathy_level',
    label: 'Empathy level',
    description: 'How much warmth and reassurance the replies carry.',
  },
  { key: 'jargon_level', label: 'Jargon level', description: 'How much trade vocabulary the replies use.' },
];

export const LEVEL_MIN = 0;
export const LEVEL_MAX = 10;
export const AGE_MIN = 18;
export const AGE_MAX = 120;

/** The phrase banks of `response_style`, each at most 50 phrases of at most 300 characters. */
export const PHRASE_BANKS = [
  { key: 'opening_phrases', label: 'Opening phrases', description: 'How the personality greets a customer.' },
  {
    key: 'product_transitions',
    label: 'Product transitions',
    description: 'How it moves on to a suggestion.',
  },
  { key: 'closing_phrases', label: 'Closing phrases', description: 'How it signs off.' },
] as const;
export const MAX_PHRASES = 50;
export const MAX_PHRASE_LENGTH = 300;
export const MAX_PROMPT_LENGTH = 8000;
export const MAX_NAME_LENGTH = 80;
export const MAX_EMOJI_LENGTH = 16;
export const LANGUAGE_TAG = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;

export type { Traits };
