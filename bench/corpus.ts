// A seeded corpus of shop conversations in the built-in personalities' words, and what a speech cache keyed by
// sentence or by whole reply would have served of it, computed with the product's own text preparation and splitter.
import { builtinPersonalities } from '../functions/personalities/builtins.ts';
import type { Personality } from '../functions/personalities/schemas.ts';
import { normaliseSentence, splitSentences } from '../functions/voice/sentences.ts';
import { prepareForSpeech } from '../functions/voice/speech-text.ts';
import { seededRandom } from '../test/fixtures/audio-fixtures.ts';
import { pick } from './support.ts';

export interface Reply {
  personalityId: string;
  language: string;
  text: string;
}

export type Conversation = Reply[];

export const CORPUS_SEED = 20_261_125;
export const MESSAGES_PER_CONVERSATION = 10;

// A small shop's catalogue. The model's own sentences are new text: each carries the details of this customer's
// question (strain, aroma, effect, occasion, price), so two replies almost never share one. Stock lines (a shop's
// standard descriptions, repeated word for word) are only used for the sensitivity figure.
const PRODUCTS = [
  ...['Blue Dream', 'Northern Lights', 'Sour Diesel', 'Granddaddy Purple', 'Jack Herer', 'Wedding Cake'],
  ...['Pineapple Express', 'OG Kush', 'Durban Poison', 'Harlequin', 'Gelato', 'Green Crack', 'Cherry Pie'],
  ...['Maui Wowie', 'Purple Haze', 'Super Lemon Haze', 'White Widow', 'Bubba Kush', 'Tangie', 'Gorilla Glue'],
];
const AROMAS = [
  'citrus',
  'pine',
  'berry',
  'earth',
  'pepper',
  'lavender',
  'diesel',
  'mango',
  'vanilla',
  'mint',
];
const MORE_AROMAS = ['grape', 'lemon', 'clove', 'honey', 'cedar'];
const EFFECTS = ['calm', 'uplifted', 'focused', 'relaxed', 'creative', 'sleepy', 'chatty', 'clear-headed'];
const OCCASIONS = [
  ...['a quiet evening at home', 'a long walk', 'dinner with friends', 'an afternoon of painting'],
  ...['a movie night', 'winding down before bed', 'a day at the beach', 'a game night', 'a lazy Sunday'],
];
const FORMS = ['flower', 'pre-rolls', 'a vape cartridge', 'gummies', 'a tincture', 'live resin'];

function modelSentence(random: () => number): string {
  const product = pick(random, PRODUCTS);
  const price = (15 + random() * 60).toFixed(2);
  switch (Math.floor(random() * 3)) {
    case 0:
      return `${product} has notes of ${pick(random, AROMAS)} and ${pick(random, MORE_AROMAS)}, and at $${price} it tends to leave people ${pick(random, EFFECTS)}.`;
    case 1:
      return `For ${pick(random, OCCASIONS)}, I would pick ${product} as ${pick(random, FORMS)}, which is $${price} today.`;
    default:
      return `You mentioned feeling ${pick(random, EFFECTS)}, so ${product} at ${14 + Math.floor(random() * 15)} percent THC and $${price} should suit you.`;
  }
}

function stockSentence(random: () => number): string {
  const product = pick(random, PRODUCTS);
  switch (Math.floor(random() * 3)) {
    case 0:
      return `${product} has notes of ${pick(random, AROMAS)} and ${pick(random, MORE_AROMAS)}.`;
    case 1:
      return `We carry ${product} as ${pick(random, FORMS)}.`;
    default:
      return `If you would like something milder, ${product} is a gentle alternative.`;
  }
}

/** A built-in's phrase banks; every built-in has all three (builtins.json), a tenant's own may not. */
export function phraseBanks(personality: Personality) {
  const style = personality.response_style;
  return {
    openings: style.opening_phrases ?? [],
    transitions: style.product_transitions ?? [],
    closings: style.closing_phrases ?? [],
  };
}

/** Characters a reply aims at, by the personality's response length: 300 on average, as in the cost scenario. */
const LENGTH: Record<string, number> = { short: 160, medium: 250, long: 340 };

function replyText(
  personality: Personality,
  position: number,
  random: () => number,
  stockShare: number,
): string {
  const { openings, transitions, closings } = phraseBanks(personality);
  const target = LENGTH[personality.traits.response_length ?? 'medium'] ?? 300;
  const parts: string[] = [];
  const productSentence = () => (random() < stockShare ? stockSentence(random) : modelSentence(random));
  const fill = (reserve = 0) => {
    while (parts.join(' ').length + reserve < target) parts.push(productSentence());
  };
  if (position === 0) {
    // A first reply is often the greeting alone; otherwise the greeting and a question.
    parts.push(pick(random, openings));
    if (random() < 0.5) parts.push(productSentence());
  } else if (position === MESSAGES_PER_CONVERSATION - 1) {
    const closing = pick(random, closings);
    if (random() < 0.5) fill(closing.length);
    parts.push(closing);
  } else {
    if (random() < 0.6) parts.push(pick(random, transitions));
    fill();
  }
  return parts.join(' ');
}

/**
 * `count` conversations of ten replies, each with one of the built-in personalities, the same for the same seed;
 * `stockShare` of the product sentences are the shop's stock lines instead of new text.
 */
export function generateCorpus(count: number, stockShare = 0, seed = CORPUS_SEED): Conversation[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, () => {
    const personality = pick(random, builtinPersonalities);
    return Array.from({ length: MESSAGES_PER_CONVERSATION }, (_, position) => ({
      personalityId: personality.id,
      language: personality.language,
      text: replyText(personality, position, random, stockShare),
    }));
  });
}

/** A reply of about `characters` characters (within ~10) in Marcel's words and the model's, at sentence ends. */
export function replyOfLength(characters: number, seed = CORPUS_SEED): string {
  const random = seededRandom(seed + characters);
  const marcel = builtinPersonalities.find((personality) => personality.id === 'marcel')!;
  const { transitions, closings } = phraseBanks(marcel);
  const closingSentences = closings.flatMap((text) =>
    spokenSentences({ personalityId: 'marcel', language: 'en', text }),
  );
  const pool = [...Array.from({ length: 60 }, () => modelSentence(random)), ...closingSentences];
  // A reply opens with a transition, as the corpus's do; the rest is whatever fits.
  const parts = [pick(random, transitions)];
  for (const sentence of pool.sort(() => random() - 0.5)) {
    if (parts.join(' ').length + sentence.length + 1 <= characters + 10) parts.push(sentence);
  }
  return parts.join(' ');
}

/** `count` sentences the model might write, different from one another, the same for the same seed. */
export function modelSentences(count: number, seed = CORPUS_SEED): string[] {
  const random = seededRandom(seed);
  const found = new Set<string>();
  while (found.size < count) found.add(modelSentence(random));
  return [...found];
}

/** The sentences the voice service synthesises for a reply, as it splits them (Google's input limit). */
export function spokenSentences(reply: Reply): string[] {
  const prepared = prepareForSpeech(reply.text, { language: reply.language });
  return splitSentences(prepared, { maxInput: 3500, unit: 'bytes' });
}

export interface CacheShares {
  conversations: number;
  replies: number;
  characters: number;
  averageReplyCharacters: number;
  /** Share of spoken characters served from a cache keyed by sentence, and by whole reply. */
  sentenceShare: number;
  wholeReplyShare: number;
  /** Of the sentence cache's hits, the share that were sentences of the personalities' phrase banks. */
  phraseShareOfSentenceHits: number;
}

/**
 * Replays the corpus in order through two caches of one tenant, as the product keys them: voice (one per
 * personality) and the normalised sentence; or voice and the whole prepared reply. Characters are counted as usage
 * records count them, per spoken sentence.
 */
export function simulateCaching(corpus: Conversation[]): CacheShares {
  const sentences = new Set<string>();
  const replies = new Set<string>();
  const phrases = new Set<string>();
  for (const personality of builtinPersonalities) {
    const { openings, transitions, closings } = phraseBanks(personality);
    for (const phrase of [...openings, ...transitions, ...closings]) {
      for (const sentence of spokenSentences({ personalityId: personality.id, language: 'en', text: phrase }))
        phrases.add(`${personality.id}\u0000${normaliseSentence(sentence)}`);
    }
  }
  let characters = 0;
  let sentenceHits = 0;
  let phraseHits = 0;
  let wholeHits = 0;
  let count = 0;
  for (const reply of corpus.flat()) {
    count += 1;
    const spoken = spokenSentences(reply);
    const replyCharacters = spoken.reduce((sum, sentence) => sum + sentence.length, 0);
    characters += replyCharacters;
    const replyKey = `${reply.personalityId}\u0000${normaliseSentence(spoken.join(' '))}`;
    if (replies.has(replyKey)) wholeHits += replyCharacters;
    replies.add(replyKey);
    for (const sentence of spoken) {
      const key = `${reply.personalityId}\u0000${normaliseSentence(sentence)}`;
      if (sentences.has(key)) {
        sentenceHits += sentence.length;
        if (phrases.has(key)) phraseHits += sentence.length;
      }
      sentences.add(key);
    }
  }
  return {
    conversations: corpus.length,
    replies: count,
    characters,
    averageReplyCharacters: characters / count,
    sentenceShare: sentenceHits / characters,
    wholeReplyShare: wholeHits / characters,
    phraseShareOfSentenceHits: sentenceHits ? phraseHits / sentenceHits : 0,
  };
}
