// The offline chat model: a phrase book in the personality's voice, so the product works with no language model.
// It is a stand-in, not an AI model: it recognises a few budtender intents by keywords and answers with stock
// sentences around the personality's own phrases. It never claims to be a model; the chat API says in its metadata
// that the reply came from the offline phrase book. It never touches the network.
import {
  ChatModelError,
  type ChatModel,
  type ChatReply,
  type ChatRequest,
  type PersonaHints,
} from './port.ts';

type Intent =
  | 'first_time'
  | 'prices'
  | 'hours'
  | 'sleep'
  | 'comfort'
  | 'relax'
  | 'energy'
  | 'edibles'
  | 'recommendation'
  | 'farewell'
  | 'greeting'
  | 'other';

/** First match wins: a specific wish ("something for sleep") beats the greeting or thanks around it. */
const INTENTS: ReadonlyArray<[Intent, RegExp]> = [
  [
    'first_time',
    /\b(first[- ]time(r)?|never (tried|done|had)|new to (this|cannabis|weed)|beginner|newbie)\b/,
  ],
  [
    'prices',
    /\b(price|prices|pricing|cost|costs|how much|deals?|specials?|discounts?|sale|cheap|budget)\b|\$/,
  ],
  [
    'hours',
    /\b(hours|opening|closing|closed)\b|are you open|when do you (open|close)|open (today|tomorrow|late|now|on)|what time/,
  ],
  ['sleep', /\b(sleep|asleep|insomnia|bedtime|night ?time|fall asleep)\b/],
  [
    'comfort',
    /\b(pain|painful|sore|soreness|aches?|achy|cramps?|muscles?|headaches?|migraines?|arthritis)\b/,
  ],
  ['relax', /\b(relax|relaxing|relaxed|chill|calm|unwind|stress(ed)?|anxious|mellow|wind down|decompress)\b/],
  [
    'energy',
    /\b(energy|energi[sz]ing|energetic|focus|creative|creativity|uplifting|daytime|active|productive|social)\b/,
  ],
  ['edibles', /\b(edibles?|gumm(y|ies)|chocolates?|brownies?|cookies?|beverages?|drinks?|mints?)\b/],
  [
    'recommendation',
    /\b(recommend|recommendation|suggest|suggestion|what should|looking for|best|popular|favou?rite)\b/,
  ],
  ['farewell', /\b(thanks|thank you|thx|ty|bye|goodbye|see you|see ya|later|cheers|have a good)\b/],
  ['greeting', /^\s*(hi|hello|hey|heya|yo|sup|howdy|hiya|good (morning|afternoon|evening))\b/],
];

const RECOMMENDING: ReadonlySet<Intent> = new Set([
  'first_time',
  'sleep',
  'comfort',
  'relax',
  'energy',
  'edibles',
  'recommendation',
]);

/** What the customer hears about their wish: one or two of these, then (when recommending) a product. */
const ANSWERS: Record<Intent, string[]> = {
  first_time: [
    'Since this is your first time, we will keep things gentle and simple.',
    'For a first visit, a low dose and a calm evening at home is the best way to get to know how it feels.',
    'New folks usually do well with a balanced product and a small amount to begin with.',
  ],
  prices: [
    'Our prices are on the menu by each product, and the daily specials are listed at the counter.',
    'There is usually a deal running on flower and pre-rolls, and the team can tell you what is on special today.',
    'If you have a budget in mind, tell me and I will keep everything within it.',
  ],
  hours: [
    'Our opening hours are posted on the door and on our website, and they can change on holidays.',
    'The store hours are listed on our website, so check there before you head over.',
  ],
  sleep: [
    'For winding down toward bedtime, a lot of customers like something mellow in the evening.',
    'For a sleepy night in, people often choose an indica-leaning product with relaxing terpenes like myrcene.',
  ],
  comfort: [
    'Plenty of customers ask for something gentle after a long day on their feet.',
    'I cannot speak to medical effects, so a doctor or pharmacist is the right person for that side of it.',
    'A balanced CBD and THC product is a popular pick for people who want to stay comfortable and clear-headed.',
  ],
  relax: [
    'For unwinding, folks tend to enjoy something calm with linalool or myrcene in the terpene profile.',
    'To take the edge off a busy day, a mellow hybrid is a nice place to land.',
  ],
  energy: [
    'For daytime, people usually reach for a sativa-leaning strain with bright, citrusy terpenes like limonene.',
    'If you want to stay active and social, something uplifting with a lighter dose works well.',
  ],
  edibles: [
    'Edibles take longer to kick in, often up to two hours, so patience is key before having more.',
    'Our edibles come in gummies, chocolates and drinks, with the dose per piece printed on the label.',
  ],
  recommendation: [
    'Happy to point you to a few favorites.',
    'Tell me the mood or the occasion, and I can narrow it down from there.',
  ],
  farewell: ['You are very welcome.', 'Anytime, it was a pleasure helping you.'],
  greeting: ['Good to meet you.', 'Glad you stopped by.'],
  other: [],
};

/** The product line after a transition: what the personality would hand over the counter. */
const PRODUCTS: Partial<Record<Intent, string[]>> = {
  first_time: [
    'A 2.5 mg gummy is a friendly place to begin.',
    'A low-THC pre-roll with some CBD is an easy first step.',
  ],
  sleep: [
    'Our nighttime gummies with a little CBN are a customer favorite.',
    'Granddaddy Purple is a classic evening strain.',
  ],
  comfort: [
    'Our 1:1 CBD and THC tincture lets you take small, measured amounts.',
    'A CBD-rich flower like Harlequin keeps things mellow.',
  ],
  relax: [
    'Blue Dream is a smooth, easygoing hybrid.',
    'Our lavender-forward vape is popular for a quiet evening.',
  ],
  energy: [
    'Jack Herer is a bright, well-loved daytime strain.',
    'Our citrus sativa pre-rolls are a good pick for an afternoon.',
  ],
  edibles: ['Our 5 mg fruit chews are easy to portion.', 'The dark chocolate squares come in 2.5 mg pieces.'],
  recommendation: [
    'Blue Dream is a crowd-pleaser that suits most occasions.',
    'Our house hybrid pre-rolls are a reliable pick.',
  ],
};

const DEFAULT_PHRASES: Required<Omit<PersonaHints, 'name' | 'response_length'>> = {
  opening_phrases: ['Welcome in.', 'Hi there, good to see you.'],
  product_transitions: ['Here is something you might like.', 'Let me suggest something.'],
  closing_phrases: ['Enjoy, and start low and go slow.', 'Thanks for stopping by.'],
};

const LONG_EXTRAS = [
  'Start low and go slow, and give it time before deciding whether you want more.',
  'If you have any questions about doses or labels, I am happy to walk you through them.',
  'Everyone responds a bit differently, so a small amount is always the wise first step.',
];

export const OFFLINE_MODEL = 'offline-phrasebook';

export function createOfflineChatModel(): ChatModel {
  return {
    name: 'offline',
    model: OFFLINE_MODEL,

    async complete(request: ChatRequest): Promise<ChatReply> {
      if (request.signal?.aborted) throw aborted();
      return { text: reply(request), model: OFFLINE_MODEL };
    },

    async *stream(request: ChatRequest): AsyncIterable<string> {
      const text = reply(request);
      // Word by word with the spaces kept, so the pieces join back into exactly what complete() says.
      for (const piece of text.match(/\S+\s*/g) ?? []) {
        if (request.signal?.aborted) throw aborted();
        yield piece;
      }
    },
  };
}

/** The reply for a request: the same seed and messages always give the same text. */
export function reply(request: ChatRequest): string {
  const last = lastUserText(request);
  const random = seededRandom(`${request.seed}\u0000${last}`);
  const pick = <T>(choices: readonly T[]): T | undefined => choices[Math.floor(random() * choices.length)];
  const phrases = (key: keyof typeof DEFAULT_PHRASES) => {
    const own = request.persona[key]?.map((phrase) => phrase.trim()).filter(Boolean) ?? [];
    return own.length ? own : DEFAULT_PHRASES[key];
  };
  const length = request.persona.response_length ?? 'medium';
  const intent = intentOf(last);

  const parts: Array<string | undefined> = [];
  // A goodbye gets no "welcome in": it opens straight with the thanks.
  if (intent !== 'farewell') parts.push(pick(phrases('opening_phrases')));
  parts.push(...answerFor(intent, last, length === 'short' ? 1 : 2, random));
  if (RECOMMENDING.has(intent))
    parts.push(pick(phrases('product_transitions')), pick(PRODUCTS[intent] ?? []));
  if (length === 'long') parts.push(pick(LONG_EXTRAS));
  if (length !== 'short' || intent === 'farewell') parts.push(pick(phrases('closing_phrases')));
  return parts.filter((part): part is string => Boolean(part)).join(' ');
}

function aborted(): ChatModelError {
  return new ChatModelError('timeout', 'Offline reply aborted by the caller');
}

function lastUserText(request: ChatRequest): string {
  for (let index = request.messages.length - 1; index >= 0; index -= 1) {
    const message = request.messages[index];
    if (message?.role === 'user') return message.content.trim();
  }
  return '';
}

function intentOf(text: string): Intent {
  const lower = text.toLowerCase();
  return INTENTS.find(([, pattern]) => pattern.test(lower))?.[0] ?? 'other';
}

/** `count` distinct answer sentences in a seeded order; for an unrecognised wish, the first names what was asked. */
function answerFor(intent: Intent, text: string, count: number, random: () => number): string[] {
  const draw = (choices: string[]) => choices.splice(Math.floor(random() * choices.length), 1);
  if (intent === 'other') {
    const { naming, followUps } = fallbacks(text);
    return [...draw(naming), ...(count > 1 ? draw(followUps) : [])];
  }
  const choices = [...ANSWERS[intent]];
  const chosen: string[] = [];
  while (chosen.length < count && choices.length) chosen.push(...draw(choices));
  return chosen;
}

/** Names the customer's topic in at most six of their own words, so the reply shows it was listened to. */
function fallbacks(text: string): { naming: string[]; followUps: string[] } {
  const followUps = [
    'Tell me a little more about the experience you are after, and I will point you in the right direction.',
    'I can tell you what is on our shelves and what other customers enjoy.',
  ];
  const words = text
    .replace(/[?!.,;:]+$/, '')
    .split(/\s+/)
    .filter(Boolean);
  if (!words.length) return { naming: ['What can I help you find today?'], followUps };
  const topic = words.length > 6 ? `${words.slice(0, 6).join(' ')}…` : words.join(' ');
  return {
    naming: [
      `You asked about "${topic}", and I want to get that right for you.`,
      `Good question about "${topic}"; let me help you figure out what fits.`,
      `Thanks for asking about "${topic}".`,
    ],
    followUps,
  };
}

/** A small seeded generator (cyrb53-style hash into mulberry32): fast, stable across runs and Node versions. */
function seededRandom(seed: string): () => number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let index = 0; index < seed.length; index += 1) {
    const code = seed.charCodeAt(index);
    h1 = Math.imul(h1 ^ code, 2654435761);
    h2 = Math.imul(h2 ^ code, 1597334677);
  }
  let state = (Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909)) >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
